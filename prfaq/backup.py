"""One proposal and everything hanging off it, as a JSON document, and back.

`proposal_export` writes the proposal, all revisions, acknowledgements, events,
rounds with their assignments (the decisions), comments, contract versions, metrics
with their readings, and the users, team, memberships and rings they refer to.
Rows refer to each other by natural keys (a user's email, a team's slug, a ring's
position, a revision's or round's number, a metric's key), never by database id, so
a document can be imported into another database and exporting the import gives
back the same document, byte for byte.

`proposal_import` restores such a document in one transaction: everything or
nothing. It is the one writer outside the services, because it must reproduce
history (timestamps, frozen revisions, closed rounds) rather than make it; it
checks every contract's and revision's hash and that the stored HTML is what the
sanitizer lets through, so an edited file cannot plant a forged contract or a script.

Left out on purpose: passwords and staff rights (a new user signs in after
"Forgot your password?"), the notification outbox (mail already sent, or due to
people of this site), and the search index (rebuilt on import).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.dateparse import parse_datetime

from accounts.models import Membership, Team, User
from prfaq import document, rendering, search
from prfaq.models import (
    Acknowledgement,
    Contract,
    Event,
    Metric,
    MetricReading,
    Proposal,
    Revision,
)
from reviews.models import Assignment, Comment, Ring, Round

FORMAT = "prfaq-proposal"
VERSION = 1

USER_FIELDS = ("email", "display_name", "is_active", "date_joined")
# Derived columns, rebuilt on import rather than trusted from a file.
PROPOSAL_DERIVED = frozenset({"search_text", "search_vector"})

Row = dict[str, Any]


class ImportRefused(Exception):
    """The document cannot be imported as it stands; nothing was written."""


# --- Export -------------------------------------------------------------------------


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _dump(obj: models.Model, refs: dict[str, dict[int, Any]], skip: Iterable[str] = ()) -> Row:
    """Every column of `obj` except its id and `skip`; relations through `refs`.

    A relation without an entry in `refs` is a KeyError: a new foreign key must be
    given a natural key here before it can be exported.
    """
    row: Row = {}
    skipped = set(skip)
    for field in type(obj)._meta.concrete_fields:
        if field.primary_key or field.name in skipped:
            continue
        value = getattr(obj, field.attname)
        if field.is_relation:
            row[field.name] = None if value is None else refs[field.name][value]
        else:
            row[field.name] = _plain(value)
    return row


def proposal_export(*, proposal_id: int) -> Row:
    """The export document for a proposal. Raises Proposal.DoesNotExist."""
    proposal = Proposal.objects.select_related("team").get(pk=proposal_id)
    team = proposal.team
    revisions = list(Revision.objects.filter(proposal=proposal).order_by("number"))
    acknowledgements = list(Acknowledgement.objects.filter(proposal=proposal).order_by("pk"))
    events = list(Event.objects.filter(proposal=proposal).order_by("pk"))
    rounds = list(Round.objects.filter(proposal=proposal).order_by("number"))
    assignments = list(Assignment.objects.filter(round__proposal=proposal).order_by("pk"))
    comments = list(Comment.objects.filter(proposal=proposal).order_by("pk"))
    contracts = list(Contract.objects.filter(proposal=proposal).order_by("version"))
    metrics = list(Metric.objects.filter(proposal=proposal).order_by("pk"))
    readings = list(MetricReading.objects.filter(metric__proposal=proposal).order_by("pk"))
    rings = list(Ring.objects.filter(team=team).order_by("position"))

    user_ids: set[int | None] = {proposal.owner_id}
    user_ids |= {r.author_id for r in revisions}
    user_ids |= {a.user_id for a in acknowledgements}
    user_ids |= {e.actor_id for e in events}
    user_ids |= {a.reviewer_id for a in assignments}
    user_ids |= {c.author_id for c in comments} | {c.resolved_by_id for c in comments}
    user_ids |= {r.recorded_by_id for r in readings}
    user_ids |= {a.get("user_id") for c in contracts for a in c.approvers}
    users = list(
        User.objects.filter(pk__in={i for i in user_ids if i is not None}).order_by("email")
    )
    email = {u.pk: u.email for u in users}
    memberships = list(
        Membership.objects.filter(team=team, user_id__in=email).select_related("user")
    )

    number = {r.pk: r.number for r in revisions}
    round_number = {r.pk: r.number for r in rounds}
    comment_ref = {c.pk: i for i, c in enumerate(comments, start=1)}
    user = {"user": email}

    def contract_row(contract: Contract) -> Row:
        row = _dump(contract, {"revision": number}, skip=["proposal"])
        # Approvers carry a database id for reminders: export the person instead.
        row["approvers"] = [
            {**{k: v for k, v in a.items() if k != "user_id"}, "user": email.get(a.get("user_id"))}
            for a in contract.approvers
        ]
        return row

    by_round: dict[int, list[Row]] = {r.pk: [] for r in rounds}
    for a in assignments:
        by_round[a.round_id].append(
            _dump(a, {"reviewer": email, "decided_revision": number}, skip=["round"])
        )
    by_metric: dict[int, list[Row]] = {m.pk: [] for m in metrics}
    for r in readings:
        by_metric[r.metric_id].append(_dump(r, {"recorded_by": email}, skip=["metric"]))

    return {
        "format": FORMAT,
        "version": VERSION,
        "users": [{f: _plain(getattr(u, f)) for f in USER_FIELDS} for u in users],
        "team": _dump(team, {}),
        "memberships": sorted(
            (_dump(m, user, skip=["team"]) for m in memberships), key=lambda m: m["user"]
        ),
        "rings": [_dump(r, {}, skip=["team"]) for r in rings],
        "proposal": _dump(
            proposal,
            {"owner": email, "current_revision": number},
            skip=["team", *PROPOSAL_DERIVED],
        ),
        "revisions": [_dump(r, {"author": email}, skip=["proposal"]) for r in revisions],
        "acknowledgements": [_dump(a, user, skip=["proposal"]) for a in acknowledgements],
        "events": [_dump(e, {"actor": email}, skip=["proposal"]) for e in events],
        "rounds": [
            {
                **_dump(
                    r,
                    {"ring": {ring.pk: ring.position for ring in rings}, "revision": number},
                    skip=["proposal"],
                ),
                "assignments": by_round[r.pk],
            }
            for r in rounds
        ],
        "comments": [
            {
                "ref": comment_ref[c.pk],
                **_dump(
                    c,
                    {
                        "round": round_number,
                        "author": email,
                        "parent": comment_ref,
                        "resolved_by": email,
                        "anchor_revision": number,
                    },
                    # A key names a comment in one installation; an import makes new ones.
                    skip=["proposal", "key"],
                ),
            }
            for c in comments
        ],
        "contracts": [contract_row(c) for c in contracts],
        "metrics": [
            {**_dump(m, {}, skip=["proposal"]), "readings": by_metric[m.pk]} for m in metrics
        ],
    }


def dumps(data: Row) -> str:
    """The document as text: sorted keys, so equal data gives equal files."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --- Import -------------------------------------------------------------------------


def _parse(field: models.Field, raw: object, where: str) -> object:
    """A column value from the document, checked against the column's own rules."""
    try:
        value: Any
        if raw is None:
            value = None
        elif isinstance(field, models.DateTimeField):
            value = parse_datetime(raw) if isinstance(raw, str) else None
            if value is None or value.tzinfo is None:
                raise ValidationError("not a date and time with a UTC offset")
        elif isinstance(field, models.DateField):
            value = date.fromisoformat(raw) if isinstance(raw, str) else None
            if value is None:
                raise ValidationError("not a date")
        elif isinstance(field, models.DecimalField):
            if not isinstance(raw, str):
                raise ValidationError("not a decimal written as a string")
            value = Decimal(raw)
        elif isinstance(field, models.JSONField):
            value = raw
        else:
            value = field.to_python(raw)
        if value is None and not field.null:
            raise ValidationError("missing")
        choices = {c[0] for c in field.flatchoices} if field.choices else None
        allowed_blank = value is None or (value == "" and field.blank)
        if choices and value not in choices and not allowed_blank:
            raise ValidationError(f"{value!r} is not one of the choices")
        if value is not None:
            field.run_validators(value)
    except (ValidationError, ValueError, TypeError, InvalidOperation) as exc:
        detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        raise ImportRefused(f"{where}: {field.name} is invalid ({detail}).") from exc
    return value


def _row(row: object, where: str) -> Row:
    if not isinstance(row, dict):
        raise ImportRefused(f"{where} is not an object.")
    return row


def _rows(value: object, where: str) -> list[Row]:
    if not isinstance(value, list):
        raise ImportRefused(f"{where} is not a list.")
    return [_row(item, f"{where}[{i}]") for i, item in enumerate(value)]


def _build(
    model: type[models.Model],
    row: Row,
    where: str,
    refs: dict[str, Callable[[Any], Any]],
    skip: Iterable[str] = (),
    extra: Iterable[str] = (),
    **fixed: Any,
) -> Any:
    """An unsaved `model` from `row`: exactly the columns `_dump` writes, each checked.

    `refs` turn a relation's natural key into the object; `fixed` are set directly.
    """
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in set(skip) and f.name not in fixed
    ]
    expected = {f.name for f in fields} | set(extra)
    if set(row) != expected:
        missing, unknown = expected - set(row), set(row) - expected
        raise ImportRefused(
            f"{where} does not match this version of prfaq"
            + (f"; missing {', '.join(sorted(missing))}" if missing else "")
            + (f"; unknown {', '.join(sorted(unknown))}" if unknown else "")
            + "."
        )
    values: dict[str, Any] = dict(fixed)
    for field in fields:
        raw = row[field.name]
        if field.is_relation:
            if raw is None:
                if not field.null:
                    raise ImportRefused(f"{where}: {field.name} is missing.")
                values[field.name] = None
            else:
                values[field.name] = refs[field.name](raw)
        else:
            values[field.attname] = _parse(field, raw, where)
    return model(**values)


def _lookup(table: dict[Any, Any], what: str) -> Callable[[Any], Any]:
    def find(key: Any) -> Any:
        try:
            return table[key]
        except (KeyError, TypeError):
            raise ImportRefused(
                f"The document refers to {what} {key!r}, which it does not hold."
            ) from None

    return find


def _clean_html(html: str) -> str:
    # The same allowlist rendering.render applies; stored HTML must already pass it.
    return nh3.clean(
        html,
        tags=rendering.ALLOWED_TAGS,
        attributes=rendering.ALLOWED_ATTRIBUTES,
        url_schemes=rendering.URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _check_revision(revision: Revision, where: str) -> None:
    if not isinstance(revision.content, dict):
        raise ImportRefused(f"{where}: content is not a document.")
    if revision.content_hash != document.content_hash(revision.content):
        raise ImportRefused(f"{where}: content does not match its hash; the file was altered.")
    if not isinstance(revision.rendered, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in revision.rendered.items()
    ):
        raise ImportRefused(f"{where}: rendered is not a map of HTML strings.")
    for path, html in revision.rendered.items():
        if _clean_html(html) != html:
            raise ImportRefused(f"{where}: the HTML of {path} is not what prfaq renders.")


def _check_header(data: object) -> Row:
    data = _row(data, "The document")
    if data.get("format") != FORMAT:
        raise ImportRefused("This is not a prfaq proposal export.")
    if data.get("version") != VERSION:
        raise ImportRefused(
            f"Unknown export format version {data.get('version')!r}; "
            f"this prfaq reads version {VERSION}."
        )
    expected = {
        "format", "version", "users", "team", "memberships", "rings", "proposal", "revisions",
        "acknowledgements", "events", "rounds", "comments", "contracts", "metrics",
    }  # fmt: skip
    if set(data) != expected:
        raise ImportRefused("The document's sections do not match this version of prfaq.")
    return data


def _field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a column, not a reverse relation
    return field


def _users(rows: list[Row]) -> tuple[dict[str, User], int]:
    """The document's users: existing accounts by email, the rest created without password."""
    given = [r.get("email") for r in rows]
    emails = [e for e in given if isinstance(e, str) and e]
    if len(emails) != len(given) or len(set(emails)) != len(emails):
        raise ImportRefused("users: every user needs one distinct email address.")
    existing = {
        u.email.lower(): u for u in User.objects.filter(email__in=[e.lower() for e in emails])
    }
    users: dict[str, User] = {}
    created = 0
    for i, row in enumerate(rows):
        where = f"users[{i}]"
        if set(row) != set(USER_FIELDS):
            raise ImportRefused(f"{where} does not match this version of prfaq.")
        found = existing.get(row["email"].lower())
        if found is None:
            found = User(**{f: _parse(_field(User, f), row[f], where) for f in USER_FIELDS})
            if found.email != found.email.lower():
                raise ImportRefused(f"{where}: email addresses are stored lower-cased.")
            found.set_unusable_password()
            found.save()
            created += 1
        users[row["email"]] = found
    return users, created


def _team(data: Row, users: dict[str, User], *, add_members: bool) -> tuple[Team, dict[int, Ring]]:
    """The team by slug, with its rings by position.

    A team that exists here keeps its rings, and gains members from the document only
    with `add_members`: a file must not quietly change who sees a team's proposals.
    A new team gets the document's memberships and rings.
    """
    row = _row(data["team"], "team")
    memberships = _rows(data["memberships"], "memberships")
    rings = _rows(data["rings"], "rings")
    used = {r.get("ring") for r in _rows(data["rounds"], "rounds")}
    team = Team.objects.filter(slug=row.get("slug")).first()
    if team is None:
        team = _build(Team, row, "team", {})
        team.save()
        for i, m in enumerate(memberships):
            _build(
                Membership, m, f"memberships[{i}]", {"user": _lookup(users, "user")}, team=team
            ).save()
        for i, r in enumerate(rings):
            _build(Ring, r, f"rings[{i}]", {}, team=team).save()
        return team, {ring.position: ring for ring in Ring.objects.filter(team=team)}

    members = set(Membership.objects.filter(team=team).values_list("user__email", flat=True))
    absent = [(i, m) for i, m in enumerate(memberships) if m.get("user") not in members]
    if absent and not add_members:
        raise ImportRefused(
            f"Team {team.slug!r} exists here without "
            f"{', '.join(sorted(str(m.get('user')) for _, m in absent))}; add them to the "
            "team first, or import with --add-members."
        )
    for i, m in absent:
        _build(
            Membership, m, f"memberships[{i}]", {"user": _lookup(users, "user")}, team=team
        ).save()
    here = {ring.position: ring for ring in Ring.objects.filter(team=team)}
    for r in rings:
        if r.get("position") in used and (
            r.get("position") not in here or here[r["position"]].name != r.get("name")
        ):
            raise ImportRefused(
                f"Team {team.slug!r} has no ring {r.get('name')!r} at position "
                f"{r.get('position')!r} here; its review rings differ from the document's."
            )
    return team, here


def proposal_import(*, data: object, add_members: bool = False) -> tuple[Proposal, int]:
    """Restore an exported proposal; returns it and how many users were created.

    Atomic: on any problem nothing is written and ImportRefused says what is wrong.
    Refuses a document of another format version, one whose proposal (same team,
    title and creation time) is already here, and one that would add members to an
    existing team unless `add_members`.
    """
    header = _check_header(data)
    try:
        with transaction.atomic():
            return _import(header, add_members=add_members)
    except (DatabaseError, ValidationError) as exc:
        raise ImportRefused(f"The database refused the document: {exc}") from exc


def _import(data: Row, *, add_members: bool) -> tuple[Proposal, int]:
    users, created = _users(_rows(data["users"], "users"))
    user = _lookup(users, "user")
    team, rings = _team(data, users, add_members=add_members)

    row = _row(data["proposal"], "proposal")
    proposal = _build(
        Proposal,
        row,
        "proposal",
        {"owner": user, "current_revision": lambda n: None},
        skip=PROPOSAL_DERIVED,
        team=team,
    )
    clash = Proposal.objects.filter(team=team, title=proposal.title, created=proposal.created)
    if (existing_pk := clash.values_list("pk", flat=True).first()) is not None:
        raise ImportRefused(
            f"Proposal {proposal.title!r} of team {team.slug!r} is already here (#{existing_pk})."
        )
    proposal.save()

    revisions: dict[int, Revision] = {}
    for i, r in enumerate(_rows(data["revisions"], "revisions")):
        revision = _build(
            Revision, r, f"revisions[{i}]", {"author": user}, skip=["proposal"], proposal=proposal
        )
        _check_revision(revision, f"revisions[{i}]")
        revision.save()
        revisions[revision.number] = revision
    revision_of = _lookup(revisions, "revision")
    if row["current_revision"] is not None:
        proposal.current_revision = revision_of(row["current_revision"])
    proposal.save(update_fields=["current_revision"])

    for i, r in enumerate(_rows(data["acknowledgements"], "acknowledgements")):
        where = f"acknowledgements[{i}]"
        _build(Acknowledgement, r, where, {"user": user}, proposal=proposal).save()
    for i, r in enumerate(_rows(data["events"], "events")):
        _build(Event, r, f"events[{i}]", {"actor": user}, proposal=proposal).save()

    rounds: dict[int, Round] = {}
    for i, r in enumerate(_rows(data["rounds"], "rounds")):
        where = f"rounds[{i}]"
        round_ = _build(
            Round, r, where, {"ring": _lookup(rings, "ring at position"), "revision": revision_of},
            extra=["assignments"], proposal=proposal,
        )  # fmt: skip
        round_.save()
        rounds[round_.number] = round_
        for j, a in enumerate(_rows(r["assignments"], f"{where}.assignments")):
            _build(
                Assignment, a, f"{where}.assignments[{j}]",
                {"reviewer": user, "decided_revision": revision_of}, round=round_,
            ).save()  # fmt: skip

    comments: dict[int, Comment] = {}
    for i, c in enumerate(_rows(data["comments"], "comments")):
        comment = _build(
            Comment, c, f"comments[{i}]",
            {
                "round": _lookup(rounds, "round"), "author": user,
                "parent": _lookup(comments, "earlier comment"), "resolved_by": user,
                "anchor_revision": revision_of,
            },
            skip=["key"], extra=["ref"], proposal=proposal,
        )  # fmt: skip
        comment.save()
        comments[c["ref"]] = comment

    for i, c in enumerate(_rows(data["contracts"], "contracts")):
        where = f"contracts[{i}]"
        approvers = c.get("approvers")
        if not isinstance(approvers, list) or not all(isinstance(a, dict) for a in approvers):
            raise ImportRefused(f"{where}: approvers is not a list.")
        contract = _build(Contract, c, where, {"revision": revision_of}, proposal=proposal)
        contract.approvers = [
            {
                **{k: v for k, v in a.items() if k != "user"},
                "user_id": user(a["user"]).pk if a.get("user") else None,
            }
            for a in approvers
        ]
        if not contract.revision.frozen:
            raise ImportRefused(f"{where}: a contract's revision must be frozen.")
        if contract.content_hash != document.content_hash(contract.revision.content):
            raise ImportRefused(f"{where}: the hash does not match its revision; altered file.")
        # A new row is the one write a contract allows (Contract.save refuses updates).
        contract.save()

    for i, m in enumerate(_rows(data["metrics"], "metrics")):
        where = f"metrics[{i}]"
        metric = _build(Metric, m, where, {}, extra=["readings"], proposal=proposal)
        metric.save()
        for j, r in enumerate(_rows(m["readings"], f"{where}.readings")):
            _build(
                MetricReading, r, f"{where}.readings[{j}]", {"recorded_by": user}, metric=metric
            ).save()

    current = proposal.current_revision
    search.index(proposal.pk, proposal.title, current.content if current else {})
    return proposal, created

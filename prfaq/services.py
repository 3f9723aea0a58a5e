"""Every write in the proposal domain. See STYLE: atomic, row-locked, side effects on commit."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from prfaq import checks, document, importing, lifecycle, policy, rendering, search
from prfaq.models import (
    Acknowledgement,
    Contract,
    Event,
    EventAction,
    Metric,
    MetricReading,
    Notification,
    NotificationStatus,
    OutcomeVerdict,
    Proposal,
    Revision,
)

if TYPE_CHECKING:
    from accounts.models import Team, User

logger = logging.getLogger(__name__)

MAX_DELIVERY_ATTEMPTS = 10


def _dispatch_notification(notification_id: int) -> None:
    """Hand a notification to Celery; if the broker is down the sweep picks it up later."""
    from prfaq.tasks import notification_deliver

    try:
        notification_deliver.delay(notification_id)
    except Exception:
        logger.warning(
            "Could not queue notification %s now; the sweep will retry it.",
            notification_id,
            exc_info=True,
        )


def notification_enqueue(
    *,
    kind: str,
    to_email: str,
    subject: str,
    body: str,
    user_id: int | None = None,
    url: str = "",
    held_for_round_id: int | None = None,
    proposal_id: int | None = None,
) -> Notification:
    """Write a notification to the outbox and queue its delivery after commit.

    Call inside the transaction of the change that causes it: if that change rolls
    back, no message exists and none is sent. With `held_for_round_id`, it waits
    (neither listed nor mailed) until `notifications_release` lets it go.
    `proposal_id` names the proposal whose review caused it (the admin hides such
    rows from a staff member still reading it).
    """
    notification = Notification.objects.create(
        kind=kind,
        to_email=to_email,
        user_id=user_id,
        subject=subject[:200],
        body=body,
        url=url[:300],
        held_for_round_id=held_for_round_id,
        proposal_id=proposal_id,
        status=NotificationStatus.HELD if held_for_round_id else NotificationStatus.PENDING,
    )
    if not held_for_round_id:
        transaction.on_commit(lambda: _dispatch_notification(notification.pk))
    return notification


def notifications_release(*, round_id: int, user_id: int) -> int:
    """Let go of what was held for `user_id` while they read round `round_id`."""
    ids = list(
        Notification.objects.filter(
            held_for_round_id=round_id, user_id=user_id, status=NotificationStatus.HELD
        ).values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=ids).update(
        status=NotificationStatus.PENDING, created=timezone.now()
    )
    for notification_id in ids:
        transaction.on_commit(partial(_dispatch_notification, notification_id))
    return len(ids)


def notifications_release_round(*, round_id: int) -> int:
    """Let go of everything held for readers of round `round_id`: it has closed, so no
    one is silently reading it any more."""
    users = (
        Notification.objects.filter(held_for_round_id=round_id, status=NotificationStatus.HELD)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return sum(notifications_release(round_id=round_id, user_id=u) for u in list(users))


@transaction.atomic
def notifications_mark_read(*, user: User, notification_key: str | None = None) -> int:
    """Mark one (named by its key) or every in-app notification of `user` as read."""
    unread = Notification.objects.filter(user=user, read__isnull=True).exclude(
        status=NotificationStatus.HELD
    )
    if notification_key is not None:
        unread = unread.filter(key=notification_key)
    return unread.update(read=timezone.now())


def notification_deliver(*, notification_id: int) -> bool:
    """Send one pending notification and mark it sent. Returns True if it was sent now.

    Idempotent: the row is locked while sending, and a notification already sent (or
    gone) is left alone, so a retried or duplicated task sends nothing twice. A mail
    error is counted on the row, then raised so the task can retry with backoff.
    """
    error: Exception | None = None
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != NotificationStatus.PENDING:
            return False
        notification.attempts += 1
        try:
            send_mail(
                notification.subject,
                notification.body,
                settings.DEFAULT_FROM_EMAIL,
                [notification.to_email],
            )
        except Exception as exc:
            error = exc
            notification.last_error = str(exc)[:2000]
        else:
            notification.status = NotificationStatus.SENT
            notification.sent = timezone.now()
            notification.last_error = ""
        notification.save(update_fields=["status", "sent", "attempts", "last_error"])
    if error is not None:
        raise error
    return True


def notifications_pending_ids(*, older_than: timedelta = timedelta(minutes=1)) -> list[int]:
    """Ids of notifications still pending after `older_than`, oldest first."""
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(
            status=NotificationStatus.PENDING,
            created__lte=cutoff,
            attempts__lt=MAX_DELIVERY_ATTEMPTS,
        )
        .order_by("created")
        .values_list("pk", flat=True)[:500]
    )


# --- Proposals and revisions ---------------------------------------------------------

COALESCE_WINDOW = timedelta(minutes=5)


def _event(
    proposal: Proposal, actor: User | None, action: EventAction | str, before: str = "",
    after: str = "", note: str = "", round_number: int | None = None,
) -> Event:  # fmt: skip
    return Event.objects.create(
        proposal=proposal,
        actor=actor,
        action=EventAction(action),
        from_state=before,
        to_state=after,
        note=note,
        round_number=round_number,
    )


def _findings(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [finding.as_dict() for finding in checks.run(content)]


@transaction.atomic
def proposal_create(*, team: Team, owner: User, title: str) -> Proposal:
    """Start a proposal owned by `owner`, with an empty first revision.

    Precondition: the caller has checked that `owner` belongs to `team`.
    """
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Give the proposal a title."})
    now = timezone.now()
    proposal = Proposal.objects.create(
        team=team, owner=owner, title=title[: document.TITLE_MAX], created=now, updated=now
    )
    _first_revision(proposal, owner, document.empty_document(), now)
    _event(proposal, owner, "create", after=proposal.status)
    return proposal


def _first_revision(
    proposal: Proposal, owner: User, content: dict[str, Any], now: datetime
) -> Revision:
    """Revision 1 of a new proposal, holding `content`, made current and indexed."""
    revision = Revision.objects.create(
        proposal=proposal,
        number=1,
        author=owner,
        created=now,
        updated=now,
        content=content,
        rendered=rendering.render_document(content),
        findings=_findings(content),
        content_hash=document.content_hash(content),
        steps_touched=document.steps_changed(document.empty_document(), content),
    )
    proposal.current_revision = revision
    proposal.save(update_fields=["current_revision"])
    search.index(proposal.pk, proposal.title, content)
    return revision


# Longest Unplaced text note an import may keep: the whole input, with the blank lines
# that join its blocks.
UNPLACED_MAX = 2 * importing.MAX_CHARS
_ROW_ID = re.compile(r"[a-z]{1,2}[0-9]{1,6}")


def _check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Give the proposal a title."})
    if len(title) > document.TITLE_MAX:
        raise ValidationError(
            {"title": f"Keep the title to {document.TITLE_MAX} characters or fewer."}
        )
    if any(unicodedata.category(ch) in {"Cc", "Zl", "Zp"} for ch in title):
        raise ValidationError({"title": "Keep the title to one line."})
    return title


def _checked_import(content: dict[str, Any]) -> dict[str, Any]:
    """`content` normalized, its lengths and counts within the document's limits, and
    every metric and FAQ row with an id the editor accepts. Raises ValidationError."""
    content = document.normalized(content)
    problems: list[str] = []
    for step in document.STEPS:
        for f in step.fields:
            if len(content[step.key][f.key]) > f.max_length:
                problems.append(f"{step.title}: {f.label} is longer than {f.max_length:,}.")
    metrics = content["benefit"]["metrics"]
    entries = content["faq"]["entries"]
    if len(metrics) > document.MAX_METRICS:
        problems.append(f"A PR/FAQ can have at most {document.MAX_METRICS} metrics.")
    if len(entries) > document.MAX_FAQ_ENTRIES:
        problems.append(f"A PR/FAQ can have at most {document.MAX_FAQ_ENTRIES} FAQ entries.")
    kinds = dict(document.METRIC_KINDS)
    for metric in metrics:
        if (
            len(metric["name"]) > document.METRIC_NAME_MAX
            or len(metric["unit"]) > document.METRIC_VALUE_MAX
        ):
            problems.append("A metric's name or unit is too long.")
        if any(len(metric[k]) > document.METRIC_VALUE_MAX for k in ("baseline", "target", "due")):
            problems.append("A metric's baseline, target or date is too long.")
        metric["kind"] = metric["kind"] if metric["kind"] in kinds else "output"
    audiences = dict(document.AUDIENCES)
    for entry in entries:
        if len(entry["question"]) > document.QUESTION_MAX or len(entry["answer"]) > (
            document.LONG_MAX
        ):
            problems.append("An FAQ question or answer is too long.")
        if entry["audience"] not in audiences:
            problems.append("An FAQ entry has no audience (external or internal).")
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)))
    for prefix, rows in (("m", metrics), ("f", entries)):
        ids = [row["id"] for row in rows]
        if len(set(ids)) != len(ids) or not all(_ROW_ID.fullmatch(i) for i in ids):
            for number, row in enumerate(rows, start=1):
                row["id"] = f"{prefix}{number}"
    return content


@transaction.atomic
def proposal_import(
    *, team: Team, owner: User, title: str, content: dict[str, Any], unplaced: str
) -> Proposal:
    """Start a proposal from a PR/FAQ written elsewhere: revision 1 holds `content`,
    and `unplaced` (text the author did not put in a field) is kept on the proposal.

    `content` comes from `importing.assemble`; it is checked again here (lengths,
    counts, metric kinds, FAQ audiences). Raises ValidationError for a bad title,
    content beyond the limits, or an owner outside the team. Records a "create"
    event noting the import.
    """
    title = _check_title(title)
    if len(unplaced) > UNPLACED_MAX:
        raise ValidationError({"unplaced": "The unplaced text is too long to keep."})
    if not Membership.objects.filter(team=team, user=owner).exists():
        raise ValidationError({"team": "The owner must be a member of the team."})
    content = _checked_import(content)
    now = timezone.now()
    proposal = Proposal.objects.create(
        team=team,
        owner=owner,
        title=title,
        created=now,
        updated=now,
        unplaced_text=unplaced.strip("\n"),
    )
    _first_revision(proposal, owner, content, now)
    _event(
        proposal, owner, "create", after=proposal.status, note="Imported from an existing PR/FAQ."
    )
    return proposal


@transaction.atomic
def proposal_unplaced_clear(*, proposal: Proposal, user: User) -> Proposal:
    """Drop the proposal's Unplaced text note once the author has used it.

    Precondition: the caller has checked that `user` may edit the proposal
    (`access_proposal_for_editing`). Clearing an empty note changes nothing.
    """
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.unplaced_text:
        locked.unplaced_text = ""
        locked.save(update_fields=["unplaced_text"])
    proposal.unplaced_text = ""
    return locked


@dataclass
class SaveResult:
    """What a save did: `saved` (new text stored), or a `conflict` to show the author."""

    revision: Revision
    saved: bool
    conflict: dict[str, Any] | None = None  # theirs: the step as it now stands


def _locked_current(proposal_id: int) -> tuple[Proposal, Revision]:
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    if proposal.status not in lifecycle.EDITABLE:
        raise lifecycle.TransitionNotAllowed(
            f"This proposal is {proposal.get_status_display().lower()}; it can no longer change."
        )
    assert proposal.current_revision_id is not None  # set when the proposal was created
    current = Revision.objects.select_for_update().get(pk=proposal.current_revision_id)
    return proposal, current


def _store(
    *, proposal: Proposal, current: Revision, user: User, content: dict[str, Any],
    steps: list[str], restored_from: int | None = None, coalesce: bool = False,
) -> Revision:  # fmt: skip
    now = timezone.now()
    rendered = rendering.render_document(content, current.content, current.rendered)
    findings = _findings(content)
    if coalesce:
        current.content = content
        current.rendered = rendered
        current.findings = findings
        current.content_hash = document.content_hash(content)
        current.steps_touched = [
            s.key for s in document.STEPS if s.key in set(current.steps_touched) | set(steps)
        ]
        current.updated = now
        current.saves += 1
        current.save(
            update_fields=[
                "content",
                "rendered",
                "findings",
                "content_hash",
                "steps_touched",
                "updated",
                "saves",
            ]
        )
        revision = current
    else:
        revision = Revision.objects.create(
            proposal=proposal,
            number=current.number + 1,
            parent_number=current.number,
            restored_from=restored_from,
            author=user,
            created=now,
            updated=now,
            content=content,
            rendered=rendered,
            findings=findings,
            content_hash=document.content_hash(content),
            steps_touched=steps,
        )
    proposal.current_revision = revision
    proposal.updated = now
    proposal.save(update_fields=["current_revision", "updated"])
    search.index(proposal.pk, proposal.title, content)
    return revision


@transaction.atomic
def proposal_save_step(
    *, proposal_id: int, user: User, step_key: str, base_step_hash: str, content: dict[str, Any]
) -> SaveResult:
    """Save one step of the working draft, never overwriting someone else's edit.

    `base_step_hash` is the hash of the step as the author last loaded or saved it.
    If the step has changed since (someone else saved it), nothing is written and
    the result carries a conflict with their version; edits to other steps never
    conflict. Consecutive saves by the same author within COALESCE_WINDOW update
    the newest revision in place unless it is frozen; otherwise a new revision is
    appended. Precondition: the caller has checked the user may edit the proposal.
    """
    proposal, current = _locked_current(proposal_id)
    submitted = document.normalized({step_key: content})[step_key]
    theirs = document.normalized(current.content)[step_key]
    if document.step_hash(current.content, step_key) != base_step_hash and submitted != theirs:
        return SaveResult(revision=current, saved=False, conflict=theirs)
    new_content = document.with_step(current.content, step_key, submitted)
    if new_content == document.normalized(current.content):
        return SaveResult(revision=current, saved=False)
    coalesce = (
        current.author_id == user.pk
        and not current.frozen
        and timezone.now() - current.updated < COALESCE_WINDOW
    )
    revision = _store(
        proposal=proposal,
        current=current,
        user=user,
        content=new_content,
        steps=[step_key],
        coalesce=coalesce,
    )
    return SaveResult(revision=revision, saved=True)


@transaction.atomic
def proposal_restore(*, proposal_id: int, user: User, number: int) -> Revision:
    """Append a new revision whose content is that of revision `number`."""
    proposal, current = _locked_current(proposal_id)
    old = Revision.objects.get(proposal=proposal, number=number)
    if old.pk == current.pk:
        raise ValidationError("That revision is already the newest.")
    content = document.normalized(old.content)
    revision = _store(
        proposal=proposal,
        current=current,
        user=user,
        content=content,
        steps=document.steps_changed(current.content, content),
        restored_from=number,
    )
    _event(
        proposal, user, "restore", note=f"Restored revision {number} as revision {revision.number}."
    )
    return revision


@transaction.atomic
def revision_freeze(*, revision_id: int) -> Revision:
    """Mark a revision immutable: a round or contract now refers to it."""
    revision = Revision.objects.select_for_update().get(pk=revision_id)
    if not revision.frozen:
        revision.frozen = True
        revision.save(update_fields=["frozen"])
    return revision


@transaction.atomic
def proposal_change_owner(*, proposal_id: int, actor: User, new_owner: User) -> Proposal:
    """Hand the proposal to another member of its team.

    Precondition: `actor` is the owner or a lead of the team (checked by access).
    Raises ValidationError if `new_owner` is not a member of the team, or is still
    silently reading the proposal's open round (an owner sees every decision).
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    if not Membership.objects.filter(team_id=proposal.team_id, user=new_owner).exists():
        raise ValidationError("The new owner must be a member of the proposal's team.")
    if new_owner.pk == proposal.owner_id:
        return proposal
    from reviews import visibility

    if visibility.sight(proposal, new_owner).reading:
        # The owner sees every decision and count; a reader must see none yet.
        raise ValidationError(
            f"{new_owner} is still reading this proposal's open round. They can take it "
            "over once they click Done reading or the round closes."
        )
    previous = proposal.owner
    proposal.owner = new_owner
    proposal.save(update_fields=["owner"])
    _event(proposal, actor, "change_owner", note=f"Owner changed from {previous} to {new_owner}.")
    return proposal


@transaction.atomic
def proposal_transition(
    *, proposal_id: int, actor: User | None, action: str, note: str = "",
    round_number: int | None = None,
) -> Proposal:  # fmt: skip
    """Take a lifecycle transition and log it (as part of round `round_number`, when a
    review gate takes it). Raises TransitionNotAllowed."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    before, after = lifecycle.transition(proposal, action)
    proposal.updated = timezone.now()
    proposal.save(update_fields=["status", "updated"])
    _event(
        proposal, actor, action, before=before, after=after, note=note, round_number=round_number
    )
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal_id: int, actor: User, note: str = "") -> Proposal:
    """The owner withdraws the proposal and its open round, if any, is cancelled.

    The proposal is locked first, then the round (the order the review services
    take), so a withdrawal racing a decision ends one way: withdrawn with the round
    cancelled, or decided (killed, say) and the withdrawal refused with
    TransitionNotAllowed. Precondition: `actor` is the owner.
    """
    from reviews import services as review_services

    proposal = proposal_transition(
        proposal_id=proposal_id, actor=actor, action="withdraw", note=note
    )
    review_services.round_cancel(
        proposal_id=proposal.pk, actor=actor, reason="The proposal was withdrawn."
    )
    return proposal


# --- Writing checks: acknowledging warnings, submitting ---------------------------


@transaction.atomic
def acknowledgement_create(
    *, proposal_id: int, user: User, key: str, reason: str
) -> Acknowledgement:
    """Keep a warning of the newest revision, with the author's reason.

    Raises ValidationError for an unknown key, an error (errors must be fixed), or an
    empty reason. Acknowledging again replaces the reason.
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say in a few words why this warning does not apply.")
    findings = {f["key"]: f for f in proposal.current_revision.findings}
    finding = findings.get(key)
    if finding is None:
        raise ValidationError("That finding is gone: the text changed since the page loaded.")
    if finding["severity"] != checks.WARNING:
        raise ValidationError("Errors cannot be acknowledged; they must be fixed.")
    acknowledgement, _ = Acknowledgement.objects.update_or_create(
        proposal=proposal,
        key=key,
        defaults={
            "rule": finding["rule"],
            "field": finding["field"],
            "excerpt": finding["excerpt"][:200],
            "reason": reason[:300],
            "user": user,
            "created": timezone.now(),
        },
    )
    return acknowledgement


class SubmissionBlocked(ValidationError):
    """Writing-check errors remain; `errors` lists them."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        count = len(errors)
        super().__init__(
            f"{count} writing-check error{'s' if count != 1 else ''} must be fixed before review."
        )
        self.errors = errors


def proposal_check_ready(*, proposal_id: int) -> Revision:
    """The newest revision, if the writing checks find no errors in it.

    Re-runs the checks rather than trusting stored findings (rules may have been
    tuned since). Raises SubmissionBlocked listing the errors.
    """
    revision = Revision.objects.select_for_update().get(
        pk=Proposal.objects.values_list("current_revision_id", flat=True).get(pk=proposal_id)
    )
    errors = policy.submission_blockers([f.as_dict() for f in checks.run(revision.content)])
    if errors:
        raise SubmissionBlocked(errors)
    return revision


@transaction.atomic
def proposal_submit(*, proposal_id: int, actor: User) -> Proposal:
    """Submit the working draft for review: freeze the newest revision and move on.

    Raises SubmissionBlocked while the newest revision has writing-check errors, and
    TransitionNotAllowed if the proposal is not drafting or changes-requested.
    Precondition: `actor` is the owner (checked by access).
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    revision = proposal_check_ready(proposal_id=proposal.pk)
    before, after = lifecycle.transition(proposal, "submit")
    revision.frozen = True
    revision.save(update_fields=["frozen"])
    proposal.updated = timezone.now()
    proposal.save(update_fields=["status", "updated"])
    _event(proposal, actor, "submit", before, after, note=f"Revision {revision.number}.")
    return proposal


# --- The build contract, launch and measurement -----------------------------------


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value not in ("", None) else None
    except InvalidOperation:
        return None


def _sync_metrics(proposal: Proposal, content: dict[str, Any]) -> None:
    """Make the tracked metrics those of the contract, keeping readings of kept ones."""
    metrics = [m for m in document.normalized(content)["benefit"]["metrics"] if m["name"].strip()]
    keys = []
    for m in metrics:
        keys.append(m["id"])
        Metric.objects.update_or_create(
            proposal=proposal,
            key=m["id"],
            defaults={
                "name": m["name"][: document.METRIC_NAME_MAX],
                "kind": m["kind"],
                "unit": m["unit"][: document.METRIC_VALUE_MAX],
                "baseline": _decimal(m["baseline"]),
                "target": _decimal(m["target"]),
                "due": date.fromisoformat(m["due"]) if m["due"] else None,
                "active": True,
            },
        )
    Metric.objects.filter(proposal=proposal).exclude(key__in=keys).update(active=False)


def contract_create(*, proposal_id: int, round_id: int) -> Contract:
    """Write the next contract version from the revision a final round approved.

    Called by the review gate inside its transaction. The contract records the
    approvers and decisions of that round and the rounds that led to it.
    """
    from reviews.models import Round

    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    round_ = Round.objects.select_related("revision", "ring").get(pk=round_id)
    revision = revision_freeze(revision_id=round_.revision_id)
    version = (Contract.objects.filter(proposal=proposal).aggregate(v=Max("version"))["v"] or 0) + 1
    approvers = [
        {
            "name": a.reviewer.display_name,
            "email": a.reviewer.email,
            "user_id": a.reviewer_id,
            "role": a.get_role_display(),
            "decision": a.get_decision_display() if a.decision else "No decision",
            "rationale": a.rationale,
        }
        for a in round_.assignments.select_related("reviewer").order_by("pk")
    ]
    history = [
        {
            "number": r.number,
            "ring": r.ring.name,
            "outcome": r.outcome,
            "closed": r.closed.isoformat() if r.closed else "",
        }
        for r in Round.objects.filter(proposal=proposal).select_related("ring").order_by("number")
    ]
    contract = Contract.objects.create(
        proposal=proposal,
        version=version,
        revision=revision,
        content_hash=document.content_hash(revision.content),
        approvers=approvers,
        rounds=history,
    )
    _sync_metrics(proposal, revision.content)
    _event(
        proposal, None, EventAction.CONTRACT, round_number=round_.number,
        note=f"Contract version {version} (revision {revision.number}).",
    )  # fmt: skip
    return contract


@transaction.atomic
def proposal_launch(
    *, proposal_id: int, actor: User, launched_on: date, review_on: date
) -> Proposal:
    """The owner marks the approved proposal launched and sets the outcome review date."""
    if review_on < launched_on:
        raise ValidationError({"review_on": "The outcome review comes after the launch."})
    proposal = proposal_transition(
        proposal_id=proposal_id,
        actor=actor,
        action="launch",
        note=f"Launched on {launched_on.isoformat()}.",
    )
    proposal.launched_on = launched_on
    proposal.outcome_review_on = review_on
    proposal.save(update_fields=["launched_on", "outcome_review_on"])
    return proposal


@transaction.atomic
def reading_record(
    *, metric_id: int, user: User, on: date, value: Decimal, note: str = ""
) -> MetricReading:
    """Record a reading of a launched (or measured) proposal's metric.

    Precondition: `user` is a member of the proposal's team (`policy.can_record_reading`).
    """
    metric = Metric.objects.select_related("proposal").get(pk=metric_id)
    if not policy.readings_open(metric.proposal):
        raise ValidationError("Readings start once the proposal is launched.")
    if metric.proposal.launched_on and on < metric.proposal.launched_on - timedelta(days=366):
        raise ValidationError({"date": "That date is more than a year before the launch."})
    if on > timezone.localdate():
        raise ValidationError({"date": "A reading cannot be in the future."})
    return MetricReading.objects.create(
        metric=metric, date=on, value=value, note=note.strip()[:300], recorded_by=user
    )


@transaction.atomic
def outcome_record(*, proposal_id: int, actor: User, verdict: str, evidence: str) -> Proposal:
    """At the outcome review: did the promised benefit arrive? The proposal is measured."""
    if verdict not in OutcomeVerdict.values:
        raise ValidationError({"verdict": "Choose yes, partly or no."})
    if not evidence.strip():
        raise ValidationError({"evidence": "Give the evidence: the readings, what customers said."})
    proposal = proposal_transition(
        proposal_id=proposal_id, actor=actor, action="measure",
        note=f"Benefit delivered: {OutcomeVerdict(verdict).label}. {evidence.strip()}"[:4000],
    )  # fmt: skip
    proposal.outcome = verdict
    proposal.outcome_evidence = evidence.strip()
    proposal.save(update_fields=["outcome", "outcome_evidence"])
    return proposal


def outcome_reminders_send(*, today: date | None = None) -> int:
    """Remind owners and approvers when an outcome review date arrives, once."""
    today = today or timezone.localdate()
    sent = 0
    due = Proposal.objects.filter(
        status=lifecycle.Status.LAUNCHED,
        outcome_review_on__lte=today,
        outcome_reminded__isnull=True,
    ).values_list("pk", flat=True)
    for proposal_id in due:
        with transaction.atomic():
            proposal = (
                Proposal.objects.select_for_update().select_related("owner")
                .filter(pk=proposal_id, outcome_reminded__isnull=True).first()
            )  # fmt: skip
            if proposal is None:
                continue
            proposal.outcome_reminded = timezone.now()
            proposal.save(update_fields=["outcome_reminded"])
            contract = Contract.objects.filter(proposal=proposal).order_by("-version").first()
            ids = {proposal.owner_id} | {
                a.get("user_id") for a in (contract.approvers if contract else [])
            }
            from accounts.models import User as UserModel

            for user in UserModel.objects.filter(pk__in=[i for i in ids if i]):
                notification_enqueue(
                    kind="outcome_review",
                    to_email=user.email,
                    user_id=user.pk,
                    subject=f"Outcome review due: {proposal.title}",
                    body=(
                        f"Hello {user.display_name},\n\n"
                        f'The outcome review of "{proposal.title}" is due. '
                        "Did the benefit the press release promised arrive? Record the outcome "
                        "with its evidence on the contract page.\n\n"
                        f"{settings.SITE_URL}{reverse('proposal-contract', args=[proposal.pk])}\n"
                    ),
                    url=reverse("proposal-contract", args=[proposal.pk]),
                )
            sent += 1
    return sent

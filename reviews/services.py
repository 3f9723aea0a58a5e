"""Every write in reviews: rings, rounds, reading, comments, decisions, gates.

Services lock the round (or proposal) row they change, call the lifecycle table, log
an Event on the proposal and write notifications in the same transaction.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Membership, Team, User
from prfaq import document
from prfaq import lifecycle as proposal_lifecycle
from prfaq import services as prfaq_services
from prfaq.models import Event, EventAction, Proposal, Revision
from reviews import lifecycle, policy, visibility
from reviews.lifecycle import Outcome, RoundStatus
from reviews.models import (
    APPROVALS,
    BODY_MAX,
    Assignment,
    Comment,
    Decision,
    Mode,
    PassRule,
    ReviewerRole,
    Ring,
    Round,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

DEFAULT_RINGS = [
    # name, pass rule, min approvals, requires bar raiser, may kill, for amendments
    ("Team", PassRule.ALL_REQUIRED, 1, False, False, False),
    ("Peers & stakeholders", PassRule.AT_LEAST, 2, True, False, False),
    ("Leadership", PassRule.ALL_REQUIRED, 1, False, True, True),
]


def rings_create_defaults(*, team: Team) -> list[Ring]:
    """Give a team the default rings, unless it has rings already."""
    if Ring.objects.filter(team=team).exists():
        return list(Ring.objects.filter(team=team))
    return [
        Ring.objects.create(
            team=team, position=i, name=name, pass_rule=rule, min_approvals=n,
            requires_bar_raiser=bar, may_kill=kill, for_amendments=amend,
        )
        for i, (name, rule, n, bar, kill, amend) in enumerate(DEFAULT_RINGS, start=1)
    ]  # fmt: skip


@transaction.atomic
def ring_update(*, ring_id: int, **fields: Any) -> Ring:
    """Change a ring's settings. Precondition: the caller leads the ring's team."""
    ring = Ring.objects.select_for_update().get(pk=ring_id)
    for name, value in fields.items():
        setattr(ring, name, value)
    ring.full_clean()
    ring.save()
    return ring


# --- Notifications ----------------------------------------------------------------------


# What each kind of message tells. Those caused by reviewers' activity are held for
# anyone still reading, whoever they are (the owner too); the rest say only what the
# recipient may know already, and their templates leave out what a reader may not
# (`reading` is in every template's context).
REVEALING_KINDS = frozenset({"mention", "decision", "round_closed", "reading_over"})
PLAIN_KINDS = frozenset({"round_opened", "round_revised", "reminder"})


def _notify(
    users: Iterable[User], *, round_: Round, kind: str, subject: str, template: str,
    context: dict[str, Any], anchor: str = "",
) -> None:  # fmt: skip
    """One outbox row per distinct user about `round_`, held while that user reads it
    if the kind reveals others' activity."""
    if kind not in REVEALING_KINDS | PLAIN_KINDS:
        raise ValueError(f"Notification kind {kind!r} is not classified.")
    url = round_.get_absolute_url() + anchor
    done: set[int] = set()
    for user in users:
        if user is None or user.pk in done:
            continue
        done.add(user.pk)
        reading = visibility.is_reading(round_.proposal, user)
        held = round_.pk if reading and kind in REVEALING_KINDS else None
        body = render_to_string(
            template,
            {**context, "user": user, "reading": reading, "link": settings.SITE_URL + url},
        )
        prfaq_services.notification_enqueue(
            kind=kind, to_email=user.email, subject=subject, body=body, user_id=user.pk,
            url=url, held_for_round_id=held, proposal_id=round_.proposal_id,
        )  # fmt: skip


def _team_members(proposal: Proposal) -> list[User]:
    return list(User.objects.filter(memberships__team_id=proposal.team_id))


def _event(round_: Round, actor: User | None, action: EventAction, note: str = "") -> None:
    """Log `action` on the round's proposal, as part of that round."""
    Event.objects.create(
        proposal_id=round_.proposal_id, actor=actor, action=action, note=note[:4000],
        round_number=round_.number,
    )  # fmt: skip


def _locked_round(round_id: int, *related: str) -> Round:
    """The round, locked after its proposal, and read afresh under both locks.

    Every service that changes a round locks the proposal first and the round second,
    the order `round_open` and `proposal_withdraw` take, so two of them never each
    hold a row the other waits for; whichever comes second sees what the first wrote.
    """
    proposal_id = Round.objects.values_list("proposal_id", flat=True).get(pk=round_id)
    Proposal.objects.select_for_update().values_list("pk", flat=True).get(pk=proposal_id)
    return (
        Round.objects.select_for_update(of=("self",))
        .select_related("proposal", *related)
        .get(pk=round_id)
    )


# --- Opening a round --------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewerChoice:
    user_id: int
    role: str = ReviewerRole.REVIEWER
    required: bool = True


AMENDABLE = {proposal_lifecycle.Status.APPROVED, proposal_lifecycle.Status.LAUNCHED}


def is_amendment(proposal: Proposal) -> bool:
    """An approved (or launched) proposal is reviewed again only to amend its contract."""
    return proposal.status in AMENDABLE


def next_ring(proposal: Proposal) -> Ring | None:
    """The ring the proposal goes to next: the same ring after changes were requested,
    the one after the last passed ring otherwise; None once every ring has passed.

    For an amendment, only the rings configured for amendments count, starting over
    after the newest contract version.
    """
    rings = Ring.objects.filter(team_id=proposal.team_id).order_by("position")
    closed = Round.objects.filter(proposal=proposal, status=RoundStatus.CLOSED)
    if is_amendment(proposal):
        rings = rings.filter(for_amendments=True)
        from prfaq.models import Contract

        latest = Contract.objects.filter(proposal=proposal).order_by("-version").first()
        closed = closed.filter(amendment=True)
        if latest is not None:
            closed = closed.filter(closed__gt=latest.approved)
    ordered = list(rings)
    if not ordered:
        return None
    last = closed.select_related("ring").order_by("-number").first()
    if last is None:
        return ordered[0]
    if last.outcome != Outcome.PASSED:
        return last.ring
    later = [r for r in ordered if r.position > last.ring.position]
    return later[0] if later else None


def _validate_reviewers(
    proposal: Proposal, ring: Ring, choices: list[ReviewerChoice]
) -> list[tuple[User, ReviewerChoice]]:
    if not choices:
        raise ValidationError("Choose at least one reviewer.")
    if len({c.user_id for c in choices}) != len(choices):
        raise ValidationError("Each person can be assigned once.")
    users = {
        u.pk: u for u in User.objects.filter(pk__in=[c.user_id for c in choices], is_active=True)
    }
    team_ids = set(
        Membership.objects.filter(team_id=proposal.team_id).values_list("user_id", flat=True)
    )
    first_ring = not Ring.objects.filter(team_id=ring.team_id, position__lt=ring.position).exists()
    pairs = []
    for c in choices:
        user = users.get(c.user_id)
        if user is None:
            raise ValidationError("One of the chosen reviewers does not exist.")
        if c.role not in ReviewerRole.values:
            raise ValidationError("Choose reviewer, approver or bar raiser.")
        if user.pk == proposal.owner_id:
            raise ValidationError("The author cannot review their own proposal.")
        if c.role == ReviewerRole.BAR_RAISER and user.pk in team_ids:
            raise ValidationError(f"{user} is in the team: a bar raiser must come from outside it.")
        if first_ring and c.role != ReviewerRole.BAR_RAISER and user.pk not in team_ids:
            raise ValidationError(f"{user} is not in the team: the first ring is read by the team.")
        pairs.append((user, c))
    if ring.requires_bar_raiser and not any(c.role == ReviewerRole.BAR_RAISER for c in choices):
        raise ValidationError(f"The {ring.name} ring needs a bar raiser from outside the team.")
    if not any(c.required for c in choices):
        raise ValidationError("At least one reviewer must be required.")
    return pairs


@transaction.atomic
def round_open(
    *, proposal_id: int, actor: User, mode: str, due: datetime,
    reviewers: list[ReviewerChoice],
) -> Round:  # fmt: skip
    """Open the next ring's round on a frozen copy of the newest revision.

    Submits the proposal first when it is drafting or has changes requested (which
    re-runs the writing checks and refuses while errors remain). Carries earlier
    comments over, re-anchoring each to the new text or marking it outdated.
    Precondition: `actor` owns the proposal.
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    if Round.objects.filter(proposal=proposal).exclude(status=RoundStatus.CLOSED).exists():
        raise ValidationError("A round is already open for this proposal.")
    if mode not in Mode.values:
        raise ValidationError("Choose async or meeting.")
    if due <= timezone.now():
        raise ValidationError("The due date must be in the future.")
    ring = next_ring(proposal)
    if ring is None:
        raise ValidationError("This proposal has passed every ring.")
    pairs = _validate_reviewers(proposal, ring, reviewers)
    amendment = is_amendment(proposal)
    if proposal.status in {
        proposal_lifecycle.Status.DRAFTING,
        proposal_lifecycle.Status.CHANGES_REQUESTED,
    }:
        proposal = prfaq_services.proposal_submit(proposal_id=proposal.pk, actor=actor)
    elif amendment:
        revision = prfaq_services.proposal_check_ready(proposal_id=proposal.pk)
        from prfaq.models import Contract

        latest = Contract.objects.filter(proposal=proposal).order_by("-version").first()
        if latest and latest.content_hash == revision.content_hash:
            raise ValidationError(
                "The draft is the same as the contract: there is nothing to amend."
            )
    elif proposal.status != proposal_lifecycle.Status.IN_REVIEW:
        raise proposal_lifecycle.TransitionNotAllowed(
            f"A proposal that is {proposal.get_status_display().lower()} cannot be reviewed."
        )
    else:
        prfaq_services.proposal_check_ready(proposal_id=proposal.pk)
    revision = prfaq_services.revision_freeze(revision_id=proposal.current_revision.pk)
    number = (Round.objects.filter(proposal=proposal).aggregate(n=Max("number"))["n"] or 0) + 1
    round_ = Round.objects.create(
        proposal=proposal, number=number, ring=ring, revision=revision, mode=mode, due=due,
        amendment=amendment,
    )  # fmt: skip
    Assignment.objects.bulk_create(
        [Assignment(round=round_, reviewer=u, role=c.role, required=c.required) for u, c in pairs]
    )
    _carry_comments_over(proposal, revision)
    _event(
        round_, actor, EventAction.ROUND_OPEN,
        f"{ring.name} round opened on revision {revision.number}.",
    )  # fmt: skip
    _notify(
        [u for u, _ in pairs], round_=round_, kind="round_opened",
        subject=f"Please review: {proposal.title}", template="reviews/email/round-opened.txt",
        context={"round": round_, "proposal": proposal},
    )  # fmt: skip
    return round_


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """The text a reader sees (and selects) in rendered HTML, whitespace folded."""
    parser = _Text()
    parser.feed(html or "")
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def section_text(revision: Revision, section: str) -> str:
    """Plain text of one memo section of a revision, as a reader would select it."""
    if section in revision.rendered:
        return plain_text(revision.rendered[section])
    content = document.normalized(revision.content)
    step, _, key = section.partition(".")
    if step == "faq" and key.count(".") == 1:
        entry_id, field = key.split(".")
        for e in content["faq"]["entries"]:
            if e["id"] == entry_id:
                return re.sub(r"\s+", " ", e.get(field, "")).strip()
    value = content.get(step, {}).get(key, "") if isinstance(content.get(step), dict) else ""
    return re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else ""


def _carry_comments_over(proposal: Proposal, revision: Revision) -> None:
    """Point every earlier thread at `revision`: re-anchored if its quote is still
    there, outdated (with the original quote kept) if not. Nothing is dropped."""
    for comment in Comment.objects.filter(proposal=proposal, parent__isnull=True).exclude(
        anchor_revision=revision
    ):
        if comment.quote:
            comment.outdated = " ".join(comment.quote.split()) not in section_text(
                revision, comment.section
            )
        comment.anchor_revision = revision
        comment.save(update_fields=["anchor_revision", "outdated"])


@transaction.atomic
def round_put_up_newest(*, round_id: int, actor: User) -> Round:
    """The owner puts the newest revision up in an open round.

    Approvals given on the older text become stale (their reviewers must decide again)
    and comments are re-anchored to the new text.
    """
    round_ = _locked_round(round_id)
    if not round_.is_open:
        raise lifecycle.TransitionNotAllowed("This round is closed.")
    proposal = round_.proposal
    if proposal.current_revision_id == round_.revision_id:
        raise ValidationError("The round already shows the newest revision.")
    prfaq_services.proposal_check_ready(proposal_id=proposal.pk)
    revision = prfaq_services.revision_freeze(revision_id=proposal.current_revision.pk)
    round_.revision = revision
    round_.save(update_fields=["revision"])
    stale = list(
        round_.assignments.filter(decision__in=list(APPROVALS), stale=False).select_related(
            "reviewer"
        )
    )
    round_.assignments.filter(pk__in=[a.pk for a in stale]).update(stale=True)
    _carry_comments_over(proposal, revision)
    _event(
        round_, actor, EventAction.ROUND_REVISED,
        f"Round {round_.number} now reads revision {revision.number}.",
    )  # fmt: skip
    _notify(
        [a.reviewer for a in round_.assignments.select_related("reviewer")], round_=round_,
        kind="round_revised", subject=f"New revision to review: {proposal.title}",
        template="reviews/email/round-revised.txt",
        context={"round": round_, "proposal": proposal, "stale": bool(stale)},
    )  # fmt: skip
    return round_


# --- Silent reading --------------------------------------------------------------------


def _locked_assignment(round_id: int, user: User) -> tuple[Round, Assignment]:
    round_ = _locked_round(round_id)
    assignment = Assignment.objects.select_for_update().filter(round=round_, reviewer=user).first()
    if assignment is None:
        raise PermissionDenied("You are not a reviewer of this round.")
    if not round_.is_open:
        raise lifecycle.TransitionNotAllowed("This round is closed.")
    return round_, assignment


@transaction.atomic
def reading_start(*, round_id: int, user: User) -> Assignment:
    """A reviewer starts reading. In a meeting's running period, they finish with it."""
    round_, assignment = _locked_assignment(round_id, user)
    if assignment.reading_started:
        return assignment
    now = timezone.now()
    assignment.reading_started = now
    if round_.mode == Mode.MEETING and round_.reading_ends and round_.reading_ends > now:
        assignment.reading_finished = round_.reading_ends
    assignment.save(update_fields=["reading_started", "reading_finished"])
    return assignment


@transaction.atomic
def reading_done(*, round_id: int, user: User) -> Assignment:
    """*Done reading*: publish the reviewer's drafts and reveal everyone's comments."""
    round_, assignment = _locked_assignment(round_id, user)
    now = timezone.now()
    if assignment.has_finished_reading(now):
        return assignment
    if round_.mode == Mode.MEETING and not round_.reading_ends:
        # Finishing now would publish this reviewer's drafts before everyone's.
        raise ValidationError(
            "This is a meeting round: everyone's comments appear together when the reading "
            "period ends, and the owner has not started it yet."
        )
    if round_.mode == Mode.MEETING and round_.reading_ends and round_.reading_ends > now:
        raise ValidationError(
            "The reading period is still running; comments appear together when it ends."
        )
    assignment.reading_started = assignment.reading_started or now
    assignment.reading_finished = now
    assignment.save(update_fields=["reading_started", "reading_finished"])
    drafts = list(
        Comment.objects.filter(
            proposal=round_.proposal, author=user, published__isnull=True
        ).select_related("round", "proposal", "author")
    )
    Comment.objects.filter(pk__in=[c.pk for c in drafts]).update(published=now)
    published = len(drafts)
    prfaq_services.notifications_release(round_id=round_.pk, user_id=user.pk)
    for comment in drafts:
        _notify_mentions(comment)
    _event(round_, user, EventAction.DONE_READING, f"Published {published} comment(s).")
    if (
        round_.status == RoundStatus.READING
        and round_.mode == Mode.ASYNC
        and not round_.assignments.filter(
            Q(reading_finished__isnull=True) | Q(reading_finished__gt=now)
        ).exists()
    ):
        lifecycle.transition(round_, "discuss")
        round_.save(update_fields=["status"])
    return assignment


@transaction.atomic
def meeting_start(*, round_id: int, actor: User) -> Round:
    """The facilitator starts the shared reading period of the ring's length."""
    round_ = _locked_round(round_id, "ring")
    if round_.mode != Mode.MEETING or not round_.is_open:
        raise ValidationError("Only an open meeting round has a reading period.")
    if round_.reading_starts:
        raise ValidationError("The reading period has already started.")
    now = timezone.now()
    round_.reading_starts = now
    round_.reading_ends = now + timedelta(minutes=round_.ring.reading_minutes)
    round_.save(update_fields=["reading_starts", "reading_ends"])
    # Those already reading read until the period ends; their drafts appear with the
    # rest. Anyone who has not started still reads first, however late they come.
    Assignment.objects.filter(round=round_, reading_started__isnull=False).update(
        reading_finished=round_.reading_ends
    )
    Comment.objects.filter(round=round_, published__isnull=True).update(
        published=round_.reading_ends
    )
    _event(
        round_, actor, EventAction.READING_START,
        f"Reading period of {round_.ring.reading_minutes} minutes.",
    )  # fmt: skip
    from reviews.tasks import meeting_reading_over

    ends = round_.reading_ends
    transaction.on_commit(lambda: _schedule(meeting_reading_over, round_.pk, ends))
    return round_


def _schedule(task: Any, round_id: int, when: datetime) -> None:
    # If the broker is down, the beat sweep ends overdue periods instead.
    with contextlib.suppress(Exception):
        task.apply_async(args=[round_id], eta=when)


@transaction.atomic
def meeting_end(*, round_id: int, actor: User | None = None) -> Round:
    """End the reading period: now if the facilitator says so, else when it is due.

    Idempotent: the sweep and the scheduled task may both call it.
    """
    round_ = _locked_round(round_id)
    if (
        round_.mode != Mode.MEETING
        or round_.status != RoundStatus.READING
        or not round_.reading_ends
    ):
        return round_
    now = timezone.now()
    if round_.reading_ends > now:
        if actor is None:
            return round_  # not due yet
        old_end = round_.reading_ends
        Assignment.objects.filter(round=round_, reading_finished=old_end).update(
            reading_finished=now
        )
        Comment.objects.filter(round=round_, published=old_end).update(published=now)
        round_.reading_ends = now
    lifecycle.transition(round_, "discuss")
    round_.save(update_fields=["status", "reading_ends"])
    _event(round_, actor, EventAction.READING_OVER, "The reading period ended; comments are shown.")
    participants = [a.reviewer for a in round_.assignments.select_related("reviewer")]
    for user in participants:
        prfaq_services.notifications_release(round_id=round_.pk, user_id=user.pk)
    for comment in Comment.objects.filter(
        round=round_, published=round_.reading_ends
    ).select_related("round", "proposal", "author"):
        _notify_mentions(comment)
    _notify(
        [*participants, round_.proposal.owner], round_=round_, kind="reading_over",
        subject=f"Reading is over: {round_.proposal.title}",
        template="reviews/email/reading-over.txt",
        context={"round": round_, "proposal": round_.proposal},
    )  # fmt: skip
    return round_


# --- Comments --------------------------------------------------------------------------

_MENTION = re.compile(r"(?<![\w@])@([\w.-]{2,40})")


def _mentioned(text: str, proposal: Proposal, round_: Round) -> list[User]:
    handles = {h.lower().rstrip(".") for h in _MENTION.findall(text)}
    if not handles:
        return []
    candidates = list(
        User.objects.filter(
            Q(memberships__team_id=proposal.team_id) | Q(assignments__round=round_)
        ).distinct()
    )
    found = []
    for user in candidates:
        names = {
            user.email.split("@")[0].lower(),
            *(p.lower() for p in user.display_name.split()[:1]),
        }
        if names & handles:
            found.append(user)
    return found


def may_comment(round_: Round, user: User) -> bool:
    return round_.proposal.owner_id == user.pk or round_.assignments.filter(reviewer=user).exists()


@transaction.atomic
def comment_create(
    *, round_id: int, author: User, section: str, body: str, quote: str = "", prefix: str = "",
    suffix: str = "", blocking: bool = False, parent_key: str | None = None,
) -> Comment:  # fmt: skip
    """Write a comment (or a reply to the thread with key `parent_key`) on a round.

    A reviewer still reading writes a private draft (published when they finish, or
    at the end of a meeting's reading period); anyone else publishes at once.
    Mentions notify the person, held back while they are reading themselves.
    A thread the author may not see is answered exactly as one that does not exist.
    """
    round_ = _locked_round(round_id, "revision")
    proposal = round_.proposal
    if not round_.is_open:
        raise lifecycle.TransitionNotAllowed("This round is closed; comments are read-only.")
    if not may_comment(round_, author):
        raise PermissionDenied("Only the owner and the round's reviewers can comment.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write something first."})
    if len(body) > BODY_MAX:
        raise ValidationError({"body": f"Keep a comment under {BODY_MAX:,} characters."})
    parent = None
    if parent_key is not None:
        seen = visibility.sight(proposal, author)
        parent = visibility.comment(proposal, author, seen, parent_key)
        if parent is None or parent.parent_id is not None:
            raise ValidationError("That thread does not exist.")
        section, quote, prefix, suffix, blocking = parent.section, "", "", "", False
    elif section not in valid_sections(round_.revision):
        raise ValidationError({"section": "Choose a section of the document."})
    quote = " ".join(quote.split())[:1000]
    if quote and not parent and quote not in section_text(round_.revision, section):
        raise ValidationError(
            {"quote": "That quote is not in the section you chose. Paste it exactly."}
        )
    now = timezone.now()
    assignment = Assignment.objects.filter(round=round_, reviewer=author).first()
    published: datetime | None = now
    if assignment and not assignment.has_finished_reading(now):
        published = None
        if (
            round_.mode == Mode.MEETING
            and round_.reading_ends
            and assignment.reading_finished == round_.reading_ends
        ):
            published = round_.reading_ends
    comment = Comment.objects.create(
        proposal=proposal, round=round_, author=author, parent=parent, section=section,
        quote=quote, prefix=prefix[:200], suffix=suffix[:200], body=body, blocking=blocking,
        created=now, published=published, anchor_revision=round_.revision,
    )  # fmt: skip
    if published is not None and published <= now:
        _notify_mentions(comment)
    # A draft's mentions go out when it is published (reading_done / meeting_end).
    return comment


def _notify_mentions(comment: Comment) -> None:
    round_, proposal, author = comment.round, comment.proposal, comment.author
    mentioned = [u for u in _mentioned(comment.body, proposal, round_) if u.pk != author.pk]
    if mentioned:
        _notify(
            mentioned, round_=round_, kind="mention",
            subject=f"{author} mentioned you on {proposal.title}",
            template="reviews/email/mention.txt",
            context={"round": round_, "proposal": proposal, "author": author, "comment": comment},
            anchor=f"#c-{comment.key}",
        )  # fmt: skip


def valid_sections(revision: Revision) -> set[str]:
    content = document.normalized(revision.content)
    sections = {f"{s.key}.{f.key}" for s in document.STEPS for f in s.fields}
    sections |= {f"faq.{e['id']}.answer" for e in content["faq"]["entries"]}
    sections |= {"benefit.metrics", "general"}
    return sections


@transaction.atomic
def comment_resolve(*, comment_id: int, user: User, resolve: bool = True) -> Comment:
    """Resolve or reopen a thread. A blocking concern only its author may resolve."""
    comment = (
        Comment.objects.select_for_update().select_related("round", "proposal").get(pk=comment_id)
    )
    if comment.parent_id is not None:
        raise ValidationError("Resolve the thread, not a reply.")
    if comment.blocking and comment.author_id != user.pk:
        raise PermissionDenied("Only the person who raised a blocking concern can resolve it.")
    if not comment.blocking and user.pk not in {comment.author_id, comment.proposal.owner_id}:
        raise PermissionDenied("The comment's author or the proposal's owner resolves it.")
    if comment.published is None or comment.published > timezone.now():
        raise ValidationError("Publish the comment before resolving it.")
    comment.resolved = timezone.now() if resolve else None
    comment.resolved_by = user if resolve else None
    comment.save(update_fields=["resolved", "resolved_by"])
    return comment


# --- Decisions and gates ---------------------------------------------------------------

NOTE_REQUIRED = {Decision.DISAGREE_COMMIT, Decision.REQUEST_CHANGES, Decision.KILL}


@transaction.atomic
def decision_record(
    *, round_id: int, reviewer: User, decision: str, rationale: str = ""
) -> Assignment:
    """Record (or change) a reviewer's decision; close the round once all required
    reviewers have decided. Raises ValidationError or PermissionDenied for decisions
    the rules do not allow."""
    round_, assignment = _locked_assignment(round_id, reviewer)
    round_ = Round.objects.select_related("ring", "proposal", "revision").get(pk=round_.pk)
    if decision not in Decision.values:
        raise ValidationError("Choose a decision.")
    if not assignment.has_finished_reading():
        raise ValidationError("Finish reading before you decide.")
    rationale = rationale.strip()
    if decision in NOTE_REQUIRED and not rationale:
        raise ValidationError({"rationale": "Say why: this note is part of the record."})
    if decision == Decision.KILL and not policy.can_kill(assignment, round_.ring):
        if not round_.ring.may_kill:
            raise PermissionDenied(f"The {round_.ring.name} ring cannot kill proposals.")
        raise PermissionDenied("Only an approver can kill a proposal.")
    if (
        assignment.decision == decision
        and assignment.rationale == rationale[:BODY_MAX]
        and not assignment.stale
        and assignment.decided_revision_id == round_.revision_id
    ):
        return assignment  # posted twice (a double click): recorded once, told once
    assignment.decision = decision
    assignment.rationale = rationale[:BODY_MAX]
    assignment.decided = timezone.now()
    assignment.decided_revision = round_.revision
    assignment.stale = False
    assignment.save(update_fields=["decision", "rationale", "decided", "decided_revision", "stale"])
    _event(round_, reviewer, EventAction.DECIDE, f"{Decision(decision).label}. {rationale}".strip())
    _notify(
        [round_.proposal.owner], round_=round_, kind="decision",
        subject=f"{reviewer} decided on {round_.proposal.title}",
        template="reviews/email/decision.txt",
        context={"round": round_, "proposal": round_.proposal, "assignment": assignment},
    )  # fmt: skip
    required = round_.assignments.filter(required=True)
    if not required.filter(Q(decision="") | Q(stale=True)).exists():
        _close(round_, actor=None)
    return assignment


def outcome_for(ring: Ring, assignments: list[Assignment], open_blockers: int) -> tuple[str, str]:
    """The gate: (outcome, reason) from the decisions, the ring's rules and blockers.

    Missing or stale decisions of required reviewers count as not approved.
    """
    kills = [a for a in assignments if a.decision == Decision.KILL and not a.stale]
    if kills:
        return Outcome.KILLED, kills[0].rationale
    bar_raiser_changes = [
        a for a in assignments
        if a.role == ReviewerRole.BAR_RAISER
        and a.decision == Decision.REQUEST_CHANGES
        and not a.stale
    ]  # fmt: skip
    if bar_raiser_changes:
        return Outcome.CHANGES, "The bar raiser requested changes: " + bar_raiser_changes[
            0
        ].rationale
    if open_blockers:
        return Outcome.CHANGES, f"{open_blockers} blocking concern(s) are still open."
    changes = [a for a in assignments if a.decision == Decision.REQUEST_CHANGES and not a.stale]
    approvals = [a for a in assignments if a.counts_as_approval]
    if ring.pass_rule == PassRule.ALL_REQUIRED:
        missing = [a for a in assignments if a.required and not a.counts_as_approval]
        if missing:
            reason = changes[0].rationale if changes else "Not every required reviewer approved."
            return Outcome.CHANGES, reason
    elif len(approvals) < ring.min_approvals:
        return Outcome.CHANGES, f"{len(approvals)} of the {ring.min_approvals} approvals needed."
    bar_raisers = [a for a in assignments if a.role == ReviewerRole.BAR_RAISER]
    if ring.requires_bar_raiser and not any(a.counts_as_approval for a in bar_raisers):
        return Outcome.CHANGES, "The bar raiser has not approved."
    return Outcome.PASSED, ""


@transaction.atomic
def round_close(*, round_id: int, actor: User | None) -> Round:
    """Close the round and apply its gate to the proposal.

    Killed: the proposal is killed with the rationale. Changes: back to the author,
    comments kept. Passed: the owner may open the next ring; passing the last ring
    approves the proposal. Precondition: `actor` (if any) owns the proposal.
    Raises TransitionNotAllowed if the round is closed already (by a decision, say).
    """
    round_ = _locked_round(round_id, "ring")
    if not round_.is_open:
        raise lifecycle.TransitionNotAllowed("This round is already closed.")
    return _close(round_, actor=actor)


def _close(round_: Round, *, actor: User | None) -> Round:
    """Close the open `round_` and apply its gate, once.

    Precondition: the caller holds the proposal's and the round's locks
    (`_locked_round`) and has read `round_` (with its ring and proposal) under them.
    """
    assignments = list(round_.assignments.select_related("reviewer"))
    blockers = Comment.objects.filter(
        proposal=round_.proposal, parent__isnull=True, blocking=True, resolved__isnull=True,
        published__isnull=False, published__lte=timezone.now(),
    ).count()  # fmt: skip
    outcome, reason = outcome_for(round_.ring, assignments, blockers)
    lifecycle.transition(round_, "close")
    round_.outcome = outcome
    round_.outcome_note = reason[:BODY_MAX]
    round_.closed = timezone.now()
    round_.save(update_fields=["status", "outcome", "outcome_note", "closed"])
    prfaq_services.notifications_release_round(round_id=round_.pk)
    proposal = round_.proposal
    later = Ring.objects.filter(team_id=round_.ring.team_id, position__gt=round_.ring.position)
    if round_.amendment:
        later = later.filter(for_amendments=True)
    last_ring = not later.exists()
    _event(
        round_, actor, EventAction.ROUND_CLOSE,
        f"{round_.ring.name}: {Outcome(outcome).label}. {reason}".strip(),
    )  # fmt: skip
    if round_.amendment:
        # An amendment never changes the proposal's state: it passes into a new contract
        # version, or the contract stands as it is.
        if outcome == Outcome.PASSED and last_ring:
            prfaq_services.contract_create(proposal_id=proposal.pk, round_id=round_.pk)
        elif outcome == Outcome.KILLED:
            _event(
                round_, None, EventAction.AMENDMENT_KILLED,
                f"Amendment killed; the contract stands. {reason}",
            )  # fmt: skip
    elif outcome == Outcome.KILLED:
        prfaq_services.proposal_transition(
            proposal_id=proposal.pk, actor=None, action="kill", note=reason,
            round_number=round_.number,
        )  # fmt: skip
    elif outcome == Outcome.CHANGES:
        prfaq_services.proposal_transition(
            proposal_id=proposal.pk, actor=None, action="request_changes", note=reason,
            round_number=round_.number,
        )  # fmt: skip
    elif last_ring:
        prfaq_services.proposal_transition(
            proposal_id=proposal.pk, actor=None, action="approve",
            note=f"Passed {round_.ring.name}.", round_number=round_.number,
        )  # fmt: skip
        prfaq_services.contract_create(proposal_id=proposal.pk, round_id=round_.pk)
    else:
        _event(round_, None, EventAction.RING_PASSED, f"Passed {round_.ring.name}.")
    everyone = [a.reviewer for a in assignments] + [proposal.owner]
    if not round_.amendment and (
        outcome == Outcome.KILLED or (outcome == Outcome.PASSED and last_ring)
    ):
        everyone += _team_members(proposal)
    _notify(
        everyone, round_=round_, kind="round_closed",
        subject=f"{proposal.title}: {round_.ring.name} round {Outcome(outcome).label.lower()}",
        template="reviews/email/round-closed.txt",
        context={"round": round_, "proposal": proposal, "last_ring": last_ring},
    )  # fmt: skip
    return round_


@transaction.atomic
def round_cancel(*, proposal_id: int, actor: User | None, reason: str) -> Round | None:
    """Close the proposal's open round, if any, as cancelled: no gate, the state stays.

    Precondition: the caller holds the proposal's row lock and is ending the
    proposal (withdrawing it); its reviewers are told they need not decide.
    """
    round_ = (
        Round.objects.select_for_update(of=("self",)).select_related("ring", "proposal")
        .filter(proposal_id=proposal_id).exclude(status=RoundStatus.CLOSED).first()
    )  # fmt: skip
    if round_ is None:
        return None
    lifecycle.transition(round_, "close")
    round_.outcome = Outcome.CANCELLED
    round_.outcome_note = reason[:BODY_MAX]
    round_.closed = timezone.now()
    round_.save(update_fields=["status", "outcome", "outcome_note", "closed"])
    prfaq_services.notifications_release_round(round_id=round_.pk)
    proposal = round_.proposal
    _event(
        round_, actor, EventAction.ROUND_CLOSE, f"{round_.ring.name}: Cancelled. {reason}".strip()
    )
    _notify(
        [a.reviewer for a in round_.assignments.select_related("reviewer")], round_=round_,
        kind="round_closed", subject=f"{proposal.title}: {round_.ring.name} round cancelled",
        template="reviews/email/round-closed.txt",
        context={"round": round_, "proposal": proposal, "last_ring": False},
    )  # fmt: skip
    return round_


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind undecided reviewers one day before a round is due, once each."""
    now = now or timezone.now()
    sent = 0
    due = Assignment.objects.filter(
        round__status__in=[RoundStatus.READING, RoundStatus.DISCUSSING],
        round__due__lte=now + timedelta(days=1),
        round__due__gt=now,
        reminded__isnull=True,
    ).filter(Q(decision="") | Q(stale=True))
    for assignment_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            # Only this row is locked (a decision locks proposal, round, then it), and
            # it is asked again under the lock: its reviewer may have just decided.
            assignment = (
                due.select_for_update(of=("self",)).select_related("round__proposal", "reviewer")
                .filter(pk=assignment_id).first()
            )  # fmt: skip
            if assignment is None:
                continue
            assignment.reminded = now
            assignment.save(update_fields=["reminded"])
            round_ = assignment.round
            _notify(
                [assignment.reviewer], round_=round_, kind="reminder",
                subject=f"Due tomorrow: your review of {round_.proposal.title}",
                template="reviews/email/reminder.txt",
                context={"round": round_, "proposal": round_.proposal},
            )  # fmt: skip
            sent += 1
    return sent

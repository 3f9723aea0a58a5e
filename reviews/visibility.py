"""Silent-read secrecy: the one place that decides what a viewer may see of reviews.

While a reviewer has not finished reading an open round of a proposal, they may see
only the document and their own comments on that proposal: nobody else's comments,
no decisions, no counts of either, and no timeline entries that would betray them.
A reviewer from outside the team sees only the rounds they are assigned to.
Every page, fragment, task, email and admin page that shows comments, decisions,
counts, events or notifications goes through these functions; nothing else queries
those tables for display. A hidden object is answered exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Membership
from prfaq.models import REVEALING, Event
from reviews.lifecycle import RoundStatus
from reviews.models import Assignment, Comment

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import User
    from prfaq.models import Proposal
    from reviews.models import Round


@dataclass(frozen=True)
class Sight:
    """What one viewer may see of one proposal's reviews right now."""

    reading: bool  # an assignee of an open round who has not finished reading
    now: datetime
    # None: every round (the team, staff). Otherwise the numbers of the rounds this
    # reviewer from outside the team is assigned to, the only ones they may see.
    rounds: frozenset[int] | None = None

    @property
    def sees_others(self) -> bool:
        return not self.reading


def _unfinished(now: datetime) -> Q:
    return Q(reading_finished__isnull=True) | Q(reading_finished__gt=now)


def sight(proposal: Proposal, viewer: User, now: datetime | None = None) -> Sight:
    """Whether `viewer` is still silently reading an open round of `proposal`, and
    which rounds they may see at all."""
    now = now or timezone.now()
    mine = list(
        Assignment.objects.filter(round__proposal=proposal, reviewer=viewer).values_list(
            "round__number", "round__status", "reading_finished"
        )
    )
    reading = any(
        status != RoundStatus.CLOSED and (finished is None or finished > now)
        for _, status, finished in mine
    )
    role = getattr(proposal, "viewer_role", False)  # set by the access functions
    insider = (
        viewer.is_staff
        or bool(role)
        or (
            role is False
            and Membership.objects.filter(team_id=proposal.team_id, user=viewer).exists()
        )
    )
    rounds = None if insider else frozenset(number for number, _, _ in mine)
    return Sight(reading=reading, now=now, rounds=rounds)


def reading_proposal_ids(viewer: User, now: datetime | None = None) -> QuerySet:
    """Ids of the proposals `viewer` is silently reading now (for lists and the admin)."""
    now = now or timezone.now()
    return (
        Assignment.objects.filter(_unfinished(now), reviewer=viewer)
        .exclude(round__status=RoundStatus.CLOSED)
        .values("round__proposal_id")
    )


def comments(proposal: Proposal, viewer: User, seen: Sight) -> QuerySet[Comment]:
    """The comments on `proposal` that `viewer` may see: their own, plus others'
    published ones unless they are still reading (in their own rounds only, for a
    reviewer from outside the team)."""
    mine = Q(author=viewer)
    others = Q(published__isnull=False, published__lte=seen.now)
    if seen.rounds is not None:
        others &= Q(round__number__in=seen.rounds)
    visible = mine if seen.reading else mine | others
    return (
        Comment.objects.filter(visible, proposal=proposal)
        .select_related("author", "resolved_by", "round")
        .order_by("created", "pk")
    )


def comment(proposal: Proposal, viewer: User, seen: Sight, key: str) -> Comment | None:
    """One comment by its key, if `viewer` may see it; None for hidden and missing alike."""
    return comments(proposal, viewer, seen).filter(key=key).first()


def assignments(round_: Round, viewer: User, seen: Sight) -> list[Assignment]:
    """The round's reviewers. Their decisions and reading are blanked for a reader.

    A reader still sees who else reviews (that is not an opinion) but not whether
    or how anyone decided, nor their own reading time's comparison to others'.
    """
    items = list(round_.assignments.select_related("reviewer").order_by("pk"))
    if not seen.reading:
        return items
    for a in items:
        if a.reviewer_id != viewer.pk:
            a.decision = ""
            a.rationale = ""
            a.decided = None
            a.reading_finished = None
            a.reading_started = None
            a.stale = False
    return items


def events(proposal: Proposal, viewer: User, seen: Sight) -> QuerySet[Event]:
    """The proposal's timeline as `viewer` may see it."""
    qs = Event.objects.filter(proposal=proposal).select_related("actor").order_by("-created", "-pk")
    if seen.reading:
        qs = qs.exclude(action__in=REVEALING)
    if seen.rounds is not None:
        qs = qs.filter(round_number__in=seen.rounds)
    return qs


def is_reading(proposal: Proposal, viewer: User) -> bool:
    return sight(proposal, viewer).reading

"""Silent-read secrecy: the one place that decides what a viewer may see of reviews.

While a reviewer has not finished reading an open round of a proposal, they may see
only the document and their own comments on that proposal: nobody else's comments,
no decisions, no counts of either, and no timeline entries that would betray them.
Every page, fragment, task and email that shows comments, decisions, counts or
events goes through these functions; nothing else queries those tables for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from reviews.lifecycle import RoundStatus
from reviews.models import Assignment, Comment

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import User
    from prfaq.models import Event, Proposal

# Timeline entries that reveal what others think; hidden from anyone still reading.
REVEALING_EVENTS = frozenset(
    {"decide", "done_reading", "reading_over", "round_close", "kill", "approve",
     "request_changes", "ring_passed", "comment"}
)  # fmt: skip


@dataclass(frozen=True)
class Sight:
    """What one viewer may see of one proposal's reviews right now."""

    reading: bool  # an assignee of an open round who has not finished reading
    now: datetime

    @property
    def sees_others(self) -> bool:
        return not self.reading


def sight(proposal: Proposal, viewer: User, now: datetime | None = None) -> Sight:
    """Whether `viewer` is still silently reading an open round of `proposal`."""
    now = now or timezone.now()
    reading = (
        Assignment.objects.filter(
            Q(reading_finished__isnull=True) | Q(reading_finished__gt=now),
            round__proposal=proposal,
            reviewer=viewer,
        )
        .exclude(round__status=RoundStatus.CLOSED)
        .exists()
    )
    return Sight(reading=reading, now=now)


def comments(proposal: Proposal, viewer: User, seen: Sight) -> QuerySet[Comment]:
    """The comments on `proposal` that `viewer` may see: their own, plus others'
    published ones unless they are still reading."""
    mine = Q(author=viewer)
    others = Q(published__isnull=False, published__lte=seen.now)
    visible = mine if seen.reading else mine | others
    return (
        Comment.objects.filter(visible, proposal=proposal)
        .select_related("author", "resolved_by", "round")
        .order_by("created", "pk")
    )


def assignments(round_, viewer: User, seen: Sight) -> list[Assignment]:
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
    from prfaq.models import Event

    qs = Event.objects.filter(proposal=proposal).select_related("actor").order_by("-created", "-pk")
    if seen.reading:
        qs = qs.exclude(action__in=REVEALING_EVENTS)
    return qs


def may_read_notification(notification, viewer: User) -> bool:
    """Held notifications are invisible until released (see notifications_release)."""
    from prfaq.models import NotificationStatus

    return notification.user_id == viewer.pk and notification.status != NotificationStatus.HELD

"""Reads the review pages use, with their joins. Secrecy filters live in visibility.py."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from prfaq.models import Notification, NotificationStatus, Proposal
from reviews.lifecycle import RoundStatus
from reviews.models import Assignment, Round


def my_open_assignments(user: User) -> list[Assignment]:
    """The open rounds I review, each with its proposal; what to do is derived per row."""
    return list(
        Assignment.objects.filter(reviewer=user)
        .exclude(round__status=RoundStatus.CLOSED)
        .select_related("round__proposal__team", "round__ring")
        .order_by("round__due", "pk")
    )


def my_rounds_as_owner(user: User) -> list[Round]:
    """Open rounds on proposals I own, with how many reviewers have read and decided.

    The owner is never a reviewer, so counts here cannot leak to a silent reader.
    """
    return list(
        Round.objects.filter(proposal__owner=user)
        .exclude(status=RoundStatus.CLOSED)
        .select_related("proposal", "ring")
        .annotate(
            reviewer_count=Count("assignments"),
            read_count=Count("assignments", filter=Q(assignments__reading_finished__isnull=False)),
            decided_count=Count(
                "assignments", filter=~Q(assignments__decision="") & Q(assignments__stale=False)
            ),
        )
        .order_by("due")
    )


def proposal_rounds(proposal: Proposal) -> list[Round]:
    return list(Round.objects.filter(proposal=proposal).select_related("ring").order_by("number"))


def inbox(user: User, limit: int = 50) -> list[Notification]:
    return list(
        Notification.objects.filter(user=user)
        .exclude(status=NotificationStatus.HELD)
        .order_by("-created")[:limit]
    )


def unread_count(user: User) -> int:
    return (
        Notification.objects.filter(user=user, read__isnull=True)
        .exclude(status=NotificationStatus.HELD)
        .count()
    )


def round_candidates(proposal: Proposal) -> QuerySet[User]:
    """Everyone who could review: the team first, then everyone else; never the owner."""
    return (
        User.objects.filter(is_active=True)
        .exclude(pk=proposal.owner_id)
        .annotate(in_team=Count("memberships", filter=Q(memberships__team_id=proposal.team_id)))
        .order_by("-in_team", "display_name")
    )

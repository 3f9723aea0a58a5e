"""Reads the review pages use, with their joins. Secrecy filters live in visibility.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from prfaq.models import Notification, NotificationStatus, Proposal
from reviews import visibility
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

    An owner is never a reviewer (owners are kept out of rounds, and a reader cannot
    become owner); a round the viewer is still reading is left out all the same, so
    its counts cannot reach a silent reader.
    """
    now = timezone.now()
    return list(
        Round.objects.filter(proposal__owner=user)
        .exclude(status=RoundStatus.CLOSED)
        .exclude(proposal_id__in=visibility.reading_proposal_ids(user, now))
        .select_related("proposal", "ring")
        .annotate(
            reviewer_count=Count("assignments"),
            read_count=Count("assignments", filter=Q(assignments__reading_finished__lte=now)),
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


# An installation with this few people outside the team lists them all; a larger
# one finds them by name or email, so the form stays small (each person is two
# fields, and Django takes at most 1,000).
OUTSIDE_LISTED = 30
FOUND_MAX = 20
CHOSEN_MAX = 60


@dataclass
class Candidates:
    # Users annotated with `in_team`: the team, and everyone else in a small installation
    listed: list[Any]
    found: list[Any]  # outside the team: already chosen, or matching the search
    searchable: bool  # more people exist than are listed: offer the search


def round_candidates(
    proposal: Proposal, *, query: str = "", chosen: Iterable[int] = ()
) -> Candidates:
    """Everyone who could review this proposal, never its owner: the team first, then
    the people outside it that fit on the page (chosen ones, then search matches)."""
    people = (
        User.objects.filter(is_active=True)
        .exclude(pk=proposal.owner_id)
        .annotate(in_team=Count("memberships", filter=Q(memberships__team_id=proposal.team_id)))
    )
    outside = people.filter(in_team=0)
    searchable = outside.count() > OUTSIDE_LISTED
    listed_q = Q(in_team__gt=0) if searchable else Q()
    listed = list(people.filter(listed_q).order_by("-in_team", "display_name"))
    if not searchable:
        return Candidates(listed, [], False)
    chosen_ids = list(dict.fromkeys(chosen))[:CHOSEN_MAX]
    found = list(outside.filter(pk__in=chosen_ids).order_by("display_name"))
    if query:
        seen = [u.pk for u in found]
        matches = outside.filter(Q(display_name__icontains=query) | Q(email__icontains=query))
        found += list(matches.exclude(pk__in=seen).order_by("display_name")[:FOUND_MAX])
    return Candidates(listed, found, True)

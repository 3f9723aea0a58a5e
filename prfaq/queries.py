"""Reads the proposal pages use. Each owns its joins, so query counts stay flat."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.models import Team, User
from prfaq.models import Acknowledgement, Contract, Metric, MetricReading, Proposal, Revision

# Long values a list never shows: the search vector and the import's Unplaced text.
# (search_text stays: search results quote it.)
LIST_DEFERRED = ("search_vector", "unplaced_text")


def proposal_list(
    user: User, *, team_slug: str = "", status: str = "", mine: bool = False
) -> QuerySet[Proposal]:
    proposals = (
        Proposal.objects.filter(team__in=Team.objects.filter(memberships__user=user))
        .select_related("team", "owner")
        .defer(*LIST_DEFERRED)
        .order_by("-updated", "-pk")
    )
    if team_slug:
        proposals = proposals.filter(team__slug=team_slug)
    if status:
        proposals = proposals.filter(status=status)
    if mine:
        proposals = proposals.filter(owner=user)
    return proposals


def proposals_owned(user: User, limit: int = 10) -> list[Proposal]:
    return list(
        Proposal.objects.filter(owner=user)
        .select_related("team")
        .defer(*LIST_DEFERRED)
        .order_by("-updated")[:limit]
    )


def revision_history(proposal: Proposal) -> list[Revision]:
    """Every revision, newest first, without the (large) document bodies."""
    return list(
        Revision.objects.filter(proposal=proposal)
        .select_related("author")
        .defer("content", "rendered")
        .order_by("-number")
    )


def team_members(team: Team) -> QuerySet[User]:
    return User.objects.filter(memberships__team=team).order_by("display_name")


def acknowledgements(proposal: Proposal) -> dict[str, Acknowledgement]:
    """The proposal's acknowledged warnings by finding key, with who acknowledged them."""
    return {
        a.key: a for a in Acknowledgement.objects.filter(proposal=proposal).select_related("user")
    }


def contracts(proposal: Proposal) -> list[Contract]:
    return list(
        Contract.objects.filter(proposal=proposal)
        .select_related("revision__author")
        .order_by("version")
    )


def metrics_with_readings(proposal: Proposal) -> list[Metric]:
    """Tracked metrics with their readings, oldest first, in two queries."""
    return list(
        Metric.objects.filter(proposal=proposal, active=True)
        .prefetch_related(
            Prefetch("readings", queryset=MetricReading.objects.order_by("date", "pk"))
        )
        .order_by("pk")
    )


def draft_differs_from_contract(proposal: Proposal) -> bool:
    latest = (
        Contract.objects.filter(proposal=proposal).order_by("-version").only("content_hash").first()
    )
    return latest is not None and latest.content_hash != proposal.current_revision.content_hash

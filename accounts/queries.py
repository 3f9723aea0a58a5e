"""Reads the accounts pages use; each owns its joins so page query counts stay flat."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery

from accounts.lifecycle import InvitationStatus
from accounts.models import Invitation, Membership, Role, Team, User


def teams_for_user(user: User) -> QuerySet[Team]:
    """The user's teams, each with `member_count` and the user's own `viewer_role`."""
    own_role = Membership.objects.filter(team=OuterRef("pk"), user=user).values("role")[:1]
    # Counted in a subquery: counting over the join that filters on `user` counts 1.
    member_count = (
        Membership.objects.filter(team=OuterRef("pk"))
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Team.objects.filter(pk__in=Membership.objects.filter(user=user).values("team"))
        .annotate(
            member_count=Subquery(member_count, output_field=IntegerField()),
            viewer_role=Subquery(own_role),  # type: ignore[no-redef]
        )
        .order_by("name")
    )


def team_memberships(team: Team) -> list[Membership]:
    """Members of `team`, leads first, then by name."""
    memberships = list(Membership.objects.filter(team=team).select_related("user"))
    memberships.sort(key=lambda m: (m.role != Role.LEAD, m.user.display_name.lower()))
    return memberships


def team_pending_invitations(team: Team) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(team=team, status=InvitationStatus.PENDING)
        .select_related("invited_by")
        .order_by("-created")
    )

"""The only way a view gets an accounts object. Outsiders get 404, as if it did not exist."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.audit import Concealed
from accounts.models import Invitation, Membership, Role, Team, User


def access_team(user: User, slug: str) -> Team:
    """The team `slug` if `user` belongs to it (or is staff), with `viewer_role` set.

    Raises Http404 for a team that does not exist and for one the user is not in (that
    one as `Concealed`: the same 404, written to the audit log).
    """
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise Http404("No such team.")
    membership = Membership.objects.filter(team=team, user=user).only("role").first()
    if membership is None and not user.is_staff:
        raise Concealed("No such team.")
    team.viewer_role = membership.role if membership else None
    return team


def access_team_as_lead(user: User, slug: str) -> Team:
    """The team `slug` if `user` leads it. Non-members get 404, plain members 403."""
    team = access_team(user, slug)
    if team.viewer_role != Role.LEAD and not user.is_superuser:
        raise PermissionDenied("Only a team lead can do that.")
    return team


def access_membership(team: Team, membership_id: int) -> Membership:
    """A membership of `team` (already accessed); any other id is a 404."""
    membership = (
        Membership.objects.select_related("user").filter(team=team, pk=membership_id).first()
    )
    if membership is None:
        raise Http404("No such member.")
    return membership


def access_invitation(team: Team, invitation_id: int) -> Invitation:
    """An invitation of `team` (already accessed); any other id is a 404."""
    invitation = Invitation.objects.filter(team=team, pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


# What secrets.token_urlsafe makes; anything else (NUL bytes included) never reaches the DB.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def access_invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link carries, or None for a forged or mistyped token."""
    if not _TOKEN_SHAPE.fullmatch(token):
        return None
    return Invitation.objects.select_related("team").filter(token=token).first()


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The login name django-axes counts failures against: the email, lower-cased.

    Lower-casing stops an attacker from dodging the lockout by varying letter case.
    """
    value = (credentials or {}).get("username") or request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) else None

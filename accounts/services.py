"""Every write to users, teams, memberships and invitations.

Each service is atomic and locks the team row before checking rules that span
several rows (such as "a team keeps at least one lead"), so two concurrent requests
cannot both pass the check.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import lifecycle
from accounts.models import Invitation, Membership, Role, Team, User
from prfaq.services import notification_enqueue


def user_create(*, email: str, display_name: str, password: str | None) -> User:
    """Create an active user. Raises ValidationError if the email is taken or invalid."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account with this email address already exists."})
    return User.objects.create_user(email=email, password=password, display_name=display_name)


@transaction.atomic
def team_create(*, name: str, slug: str, lead: User, description: str = "") -> Team:
    """Create a team with `lead` as its first lead."""
    team = Team(name=name, slug=slug, description=description)
    team.full_clean()
    team.save()
    Membership.objects.create(team=team, user=lead, role=Role.LEAD)
    from reviews.services import rings_create_defaults

    rings_create_defaults(team=team)
    return team


@transaction.atomic
def membership_add(*, team: Team, user: User, role: str = Role.MEMBER) -> Membership:
    """Add `user` to `team`; if already a member, keep them with their current role."""
    Team.objects.select_for_update().get(pk=team.pk)
    membership, _ = Membership.objects.get_or_create(team=team, user=user, defaults={"role": role})
    return membership


def _other_leads(team: Team, membership: Membership) -> int:
    return Membership.objects.filter(team=team, role=Role.LEAD).exclude(pk=membership.pk).count()


@transaction.atomic
def membership_set_role(*, team: Team, membership_id: int, role: str) -> Membership:
    """Change a member's role. Raises ValidationError if that would leave no lead.

    Precondition: the caller has checked that the actor leads `team`.
    """
    if role not in Role.values:
        raise ValidationError("Choose member or lead.")
    Team.objects.select_for_update().get(pk=team.pk)
    membership = Membership.objects.select_for_update().get(team=team, pk=membership_id)
    if membership.role == Role.LEAD and role != Role.LEAD and not _other_leads(team, membership):
        raise ValidationError(
            f"{membership.user} is the last lead of {team}. Make someone else a lead first."
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, team: Team, membership_id: int) -> User:
    """Remove a member from `team`. Raises ValidationError for the last lead.

    Precondition: the caller has checked that the actor leads `team`.
    """
    Team.objects.select_for_update().get(pk=team.pk)
    membership = (
        Membership.objects.select_for_update()
        .select_related("user")
        .get(team=team, pk=membership_id)
    )
    if membership.role == Role.LEAD and not _other_leads(team, membership):
        raise ValidationError(
            f"{membership.user} is the last lead of {team} and cannot be removed. "
            "Make someone else a lead first."
        )
    membership.delete()
    return membership.user


def invitation_link(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("invitation-accept", args=[invitation.token])


@transaction.atomic
def invitation_create(*, team: Team, email: str, role: str, invited_by: User) -> Invitation:
    """Invite `email` to `team` and queue the email after commit.

    A pending invitation to the same address is revoked, so only the newest link
    works. Raises ValidationError if the address already belongs to a member.
    Precondition: the caller has checked that `invited_by` leads `team`.
    """
    email = User.objects.normalize_email(email).strip().lower()
    Team.objects.select_for_update().get(pk=team.pk)
    if Membership.objects.filter(team=team, user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member of {team}."})
    now = timezone.now()
    Invitation.objects.filter(
        team=team, email__iexact=email, status=lifecycle.InvitationStatus.PENDING
    ).update(status=lifecycle.InvitationStatus.REVOKED, closed=now)
    invitation = Invitation.objects.create(
        team=team,
        email=email,
        role=role,
        invited_by=invited_by,
        token=secrets.token_urlsafe(32),
        created=now,
        expires=now + settings.INVITATION_TTL,
    )
    body = render_to_string(
        "accounts/email/invitation.txt",
        {"invitation": invitation, "link": invitation_link(invitation), "inviter": invited_by},
    )
    notification_enqueue(
        kind="invitation",
        to_email=email,
        subject=f"{invited_by} invited you to {team.name} on prfaq",
        body=body,
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation_id: int) -> Invitation:
    """Revoke a pending invitation so its link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    lifecycle.transition(invitation, "revoke")
    invitation.closed = timezone.now()
    invitation.save(update_fields=["status", "closed"])
    return invitation


class InvitationUnusable(Exception):
    """The invitation cannot be accepted; `reason` is one of: expired, accepted, revoked."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invitation_problem(invitation: Invitation) -> str | None:
    """Why `invitation` cannot be accepted now, or None if it can."""
    if invitation.status != lifecycle.InvitationStatus.PENDING:
        return str(invitation.status)
    if invitation.expires <= timezone.now():
        return "expired"
    return None


@transaction.atomic
def invitation_accept(*, invitation_id: int, user: User) -> Membership:
    """Accept an invitation as `user`, who joins the team with the invited role.

    Raises InvitationUnusable if it was used, revoked or has expired (checked under
    the row lock, so one link joins one person once), and ValidationError if `user`
    is not the invited address.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    problem = invitation_problem(invitation)
    if problem:
        raise InvitationUnusable(problem)
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            f"This invitation is for {invitation.email}; you are signed in as {user.email}."
        )
    lifecycle.transition(invitation, "accept")
    invitation.accepted_by = user
    invitation.closed = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "closed"])
    return membership_add(team=invitation.team, user=user, role=invitation.role)


@transaction.atomic
def invitation_accept_as_new_user(
    *, invitation_id: int, display_name: str, password: str
) -> Membership:
    """Create the invited person's account and accept the invitation in one step."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    problem = invitation_problem(invitation)
    if problem:
        raise InvitationUnusable(problem)
    user = user_create(email=invitation.email, display_name=display_name, password=password)
    return invitation_accept(invitation_id=invitation.pk, user=user)

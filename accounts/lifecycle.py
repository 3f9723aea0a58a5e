"""The invitation lifecycle: one table of allowed transitions, read by services and templates.

An invitation is *pending* until it is accepted or revoked. Expiry is not a stored state:
a pending invitation past its expiry simply can no longer be accepted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from prfaq.errors import StateConflict

if TYPE_CHECKING:
    from accounts.models import Invitation


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"


# action -> (from states, to state)
INVITATION_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({InvitationStatus.PENDING}), InvitationStatus.ACCEPTED),
    "revoke": (frozenset({InvitationStatus.PENDING}), InvitationStatus.REVOKED),
}


class TransitionNotAllowed(StateConflict):
    """The table has no such move from the current state (see prfaq.errors)."""


def transition(invitation: Invitation, action: str) -> str:
    """Move `invitation` along `action` in memory and return the new status.

    The caller (a service) holds the row lock and saves. Raises TransitionNotAllowed
    when the table has no such move from the current status.
    """
    if action not in INVITATION_TRANSITIONS:
        raise TransitionNotAllowed(f"Unknown action {action!r}.")
    sources, target = INVITATION_TRANSITIONS[action]
    if invitation.status not in sources:
        raise TransitionNotAllowed(f"This invitation was already {invitation.status}.")
    invitation.status = target
    return target

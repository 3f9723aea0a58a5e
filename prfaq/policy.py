"""Who may do what to a proposal, in which state: the one source that access,
services, views and templates ask. Each predicate is pure: it reads the proposal
(with `viewer_role` set by the access functions) and the user, never the database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prfaq.checks import ERROR
from prfaq.lifecycle import Status

if TYPE_CHECKING:
    from accounts.models import User
    from prfaq.models import Proposal

# Readings of the promised metrics go on after the outcome is recorded: whether the
# benefit lasted is worth knowing too.
READING_STATES = frozenset({Status.LAUNCHED, Status.MEASURED})


def readings_open(proposal: Proposal) -> bool:
    """Whether the proposal's metrics take readings in its present state."""
    return proposal.status in READING_STATES


def can_record_reading(user: User, proposal: Proposal) -> bool:
    """A member of the team, once the proposal is launched (and after it is measured)."""
    return proposal.viewer_role is not None and readings_open(proposal)


def submission_blockers(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored findings of a revision that keep it from review: its errors.

    Warnings can be kept with a reason; errors must be fixed. The services re-run the
    checks before a round opens (`proposal_check_ready`) with this same rule.
    """
    return [f for f in findings if f["severity"] == ERROR]

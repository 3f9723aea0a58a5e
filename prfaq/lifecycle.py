"""The proposal lifecycle: one transition table that services and templates both read.

drafting -> in_review -> (changes_requested -> in_review)* -> approved -> launched
-> measured; killed and withdrawn are terminal from any open state. Each row names
who may take it: the owner, a team lead, a leader (decided by the review gate),
or the system (a service acting on a gate's outcome).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models

from prfaq.errors import StateConflict

if TYPE_CHECKING:
    from accounts.models import User
    from prfaq.models import Proposal


class Status(models.TextChoices):
    DRAFTING = "drafting", "Drafting"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    LAUNCHED = "launched", "Launched"
    MEASURED = "measured", "Measured"
    KILLED = "killed", "Killed"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN = frozenset(
    {Status.DRAFTING, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.APPROVED, Status.LAUNCHED}
)
TERMINAL = frozenset({Status.MEASURED, Status.KILLED, Status.WITHDRAWN})
# The working draft can change in these; a revision under review is frozen separately.
EDITABLE = frozenset(
    {Status.DRAFTING, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.APPROVED, Status.LAUNCHED}
)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    by: str  # "owner" | "system"


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "submit", "Submit for review",
            frozenset({Status.DRAFTING, Status.CHANGES_REQUESTED}), Status.IN_REVIEW, "owner",
        ),
        Transition(
            "request_changes", "Request changes",
            frozenset({Status.IN_REVIEW}), Status.CHANGES_REQUESTED, "system",
        ),
        Transition("approve", "Approve", frozenset({Status.IN_REVIEW}), Status.APPROVED, "system"),
        Transition(
            "launch", "Mark launched", frozenset({Status.APPROVED}), Status.LAUNCHED, "owner"
        ),
        Transition(
            "measure", "Record the outcome", frozenset({Status.LAUNCHED}), Status.MEASURED, "owner"
        ),
        Transition("kill", "Kill", OPEN - {Status.LAUNCHED}, Status.KILLED, "system"),
        Transition("withdraw", "Withdraw", OPEN - {Status.LAUNCHED}, Status.WITHDRAWN, "owner"),
    )
}  # fmt: skip


class TransitionNotAllowed(StateConflict):
    """The table has no such move from the current state (see prfaq.errors)."""


def transition(proposal: Proposal, action: str) -> tuple[str, str]:
    """Move `proposal` along `action` in memory; return (from, to).

    The calling service holds the row lock, saves, and writes the Event. Raises
    TransitionNotAllowed for an unknown action or one the table does not allow now.
    """
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise TransitionNotAllowed(f"Unknown action {action!r}.")
    if proposal.status not in rule.sources:
        raise TransitionNotAllowed(
            f"This proposal is {Status(proposal.status).label.lower()}: "
            f"“{rule.label}” is not possible now."
        )
    before = proposal.status
    proposal.status = rule.target
    return before, rule.target


def available_actions(proposal: Proposal, user: User) -> list[Transition]:
    """The transitions `user` may start on `proposal` now, for buttons in templates."""
    actions = []
    for rule in TRANSITIONS.values():
        if proposal.status not in rule.sources or rule.by != "owner":
            continue
        if proposal.owner_id == user.pk:
            actions.append(rule)
    return actions

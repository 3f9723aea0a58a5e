"""Who may do what in a review, in which state: the one source that access, services,
views and templates ask. Pure predicates over rows the caller already holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviews.models import Decision, ReviewerRole

if TYPE_CHECKING:
    from reviews.models import Assignment, Ring


def can_kill(assignment: Assignment, ring: Ring) -> bool:
    """An approver of a ring that may kill proposals (by default, Leadership)."""
    return ring.may_kill and assignment.role == ReviewerRole.APPROVER


def decisions_open_to(assignment: Assignment, ring: Ring) -> list[tuple[str, str]]:
    """The decisions this reviewer may record, as (value, label) for the form."""
    return [
        (value, label)
        for value, label in Decision.choices
        if value != Decision.KILL or can_kill(assignment, ring)
    ]

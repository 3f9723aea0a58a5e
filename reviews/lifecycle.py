"""The review round lifecycle: reading -> discussing -> closed (with an outcome).

One table read by services and templates. A meeting round's reading period ends by
the clock; `Round.phase` reports that without any write, and the sweep (or the
facilitator) records the move to discussing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from prfaq.errors import StateConflict

if TYPE_CHECKING:
    from reviews.models import Round


class RoundStatus(models.TextChoices):
    READING = "reading", "Reading"
    DISCUSSING = "discussing", "Discussing"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    PASSED = "passed", "Passed"
    CHANGES = "changes", "Changes requested"
    KILLED = "killed", "Killed"
    CANCELLED = "cancelled", "Cancelled"


# action -> (from statuses, to status)
ROUND_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "discuss": (frozenset({RoundStatus.READING}), RoundStatus.DISCUSSING),
    "close": (frozenset({RoundStatus.READING, RoundStatus.DISCUSSING}), RoundStatus.CLOSED),
}


class TransitionNotAllowed(StateConflict):
    """The table has no such move from the current state (see prfaq.errors)."""


def transition(round_: Round, action: str) -> tuple[str, str]:
    """Move `round_` along `action` in memory; the calling service saves and logs it."""
    if action not in ROUND_TRANSITIONS:
        raise TransitionNotAllowed(f"Unknown action {action!r}.")
    sources, target = ROUND_TRANSITIONS[action]
    if round_.status not in sources:
        raise TransitionNotAllowed(f"This round is {round_.get_status_display().lower()}.")
    before = round_.status
    round_.status = target
    return before, target

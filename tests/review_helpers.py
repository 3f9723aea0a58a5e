"""Moving proposals through review with services, for tests that need later stages."""

import copy
from datetime import timedelta

from django.utils import timezone

from prfaq import document
from prfaq.demo_content import SHOWCASE
from reviews import services
from reviews.models import ReviewerRole
from tests.prfaq.helpers import save_step

STRONG = SHOWCASE


def write_strong(proposal, owner):
    content = copy.deepcopy(STRONG)
    for step in document.STEPS:
        save_step(proposal, owner, step.key, content[step.key])


def run_round(proposal, owner, decisions, mode="async"):
    """Open the next round with `decisions` = [(user, role, decision, note)] and decide."""
    round_ = services.round_open(
        proposal_id=proposal.pk, actor=owner, mode=mode, due=timezone.now() + timedelta(days=3),
        reviewers=[services.ReviewerChoice(u.pk, role) for u, role, _, _ in decisions],
    )  # fmt: skip
    for user, _, _, _ in decisions:
        services.reading_start(round_id=round_.pk, user=user)
        services.reading_done(round_id=round_.pk, user=user)
    for user, _, decision, note in decisions:
        if decision:
            services.decision_record(
                round_id=round_.pk, reviewer=user, decision=decision, rationale=note
            )
    round_.refresh_from_db()
    return round_


def approve(proposal, owner, member, outsider):
    """Team, then peers (with the outsider as bar raiser), then leadership: approved."""
    run_round(proposal, owner, [(member, ReviewerRole.REVIEWER, "approve", "")])
    run_round(
        proposal, owner,
        [
            (member, ReviewerRole.REVIEWER, "approve", ""),
            (outsider, ReviewerRole.BAR_RAISER, "approve", ""),
        ],
    )  # fmt: skip
    return run_round(proposal, owner, [(outsider, ReviewerRole.APPROVER, "approve", "")])

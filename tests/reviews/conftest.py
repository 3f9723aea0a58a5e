import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from prfaq import document
from prfaq.demo_content import SHOWCASE
from prfaq.models import Proposal
from reviews import services
from reviews.models import ReviewerRole
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.prfaq.helpers import save_step

STRONG = SHOWCASE


@pytest.fixture
def ready(proposal, lead):
    """The team's proposal with a complete, clean PR/FAQ written by its owner."""
    content = copy.deepcopy(STRONG)
    for step in document.STEPS:
        save_step(proposal, lead, step.key, content[step.key])
    return Proposal.objects.get(pk=proposal.pk)


@pytest.fixture
def reviewers(team):
    """Three team members: ana, ben, cy."""
    return [
        MembershipFactory(
            team=team, user=UserFactory(display_name=name, email=f"{name.lower()}@example.com")
        ).user
        for name in ("Ana", "Ben", "Cy")
    ]


@pytest.fixture
def stranger(db):
    """Someone from another team (eligible as a bar raiser or a leader)."""
    return MembershipFactory(team=TeamFactory(), user=UserFactory(display_name="Sol")).user


def choices(*users, role=ReviewerRole.REVIEWER, required=True):
    return [services.ReviewerChoice(u.pk, role, required) for u in users]


@pytest.fixture
def open_round(ready, lead):
    def _open(reviewer_choices, mode="async", days=3):
        return services.round_open(
            proposal_id=ready.pk, actor=lead, mode=mode,
            due=timezone.now() + timedelta(days=days), reviewers=reviewer_choices,
        )  # fmt: skip

    return _open


def read(round_, user):
    services.reading_start(round_id=round_.pk, user=user)
    return services.reading_done(round_id=round_.pk, user=user)

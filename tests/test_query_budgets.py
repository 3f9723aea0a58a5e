"""Every page's query count is the same with little and with much more data."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from prfaq import document, services
from prfaq.models import Metric
from reviews import services as review_services
from reviews.models import ReviewerRole
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.helpers import assert_constant_queries
from tests.prfaq.helpers import save_step
from tests.review_helpers import approve, run_round, write_strong

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(team, lead, member):
    leader = MembershipFactory(team=TeamFactory(), user=UserFactory(display_name="Lee")).user
    contracted = services.proposal_create(team=team, owner=lead, title="Contracted")
    write_strong(contracted, lead)
    approve(contracted, lead, member, leader)
    services.proposal_launch(
        proposal_id=contracted.pk,
        actor=lead,
        launched_on=date(2026, 1, 1),
        review_on=date(2026, 9, 1),
    )
    reviewed = services.proposal_create(team=team, owner=lead, title="Reviewed")
    write_strong(reviewed, lead)
    round_ = run_round(reviewed, lead, [(member, ReviewerRole.REVIEWER, "", "")])
    for i in range(3):
        review_services.comment_create(
            round_id=round_.pk, author=member, section="general", body=f"c{i}"
        )
    return {"contracted": contracted, "reviewed": reviewed, "round": round_, "leader": leader}


def grow(world, team, lead, member):
    def _grow():
        for i in range(12):
            services.proposal_create(team=team, owner=lead, title=f"More {i}")
        reviewed = world["reviewed"]
        for i in range(30):
            review_services.comment_create(
                round_id=world["round"].pk, author=member, section="general", body=f"more {i}"
            )
        for i in range(10):
            save_step(
                reviewed,
                member if i % 2 else lead,
                "customer",
                {**document.empty_document()["customer"], "who": f"v{i}"},
            )
        for metric in Metric.objects.filter(proposal=world["contracted"]):
            for day in range(1, 12):
                services.reading_record(
                    metric_id=metric.pk, user=lead, on=date(2026, 2, day), value=Decimal(day)
                )

    return _grow


PAGES = [
    ("dashboard", lambda w: reverse("dashboard")),
    ("proposal list", lambda w: reverse("proposal-list")),
    ("search", lambda w: reverse("proposal-list") + "?q=customer"),
    ("memo", lambda w: reverse("proposal-memo", args=[w["reviewed"].pk])),
    ("step", lambda w: reverse("proposal-step", args=[w["reviewed"].pk, "faq"])),
    ("history", lambda w: reverse("proposal-history", args=[w["reviewed"].pk])),
    ("diff", lambda w: reverse("proposal-diff", args=[w["reviewed"].pk]) + "?a=1&b=1"),
    ("round", lambda w: w["round"].get_absolute_url()),
    ("review queue", lambda w: reverse("review-queue")),
    ("notifications", lambda w: reverse("notifications")),
    ("team", lambda w: reverse("team-detail", args=[w["reviewed"].team.slug])),
    ("contract", lambda w: reverse("proposal-contract", args=[w["contracted"].pk])),
    ("funnel", lambda w: reverse("funnel")),
    ("import", lambda w: reverse("proposal-import")),
]


@pytest.mark.parametrize(("name", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_page_query_count_does_not_grow(world, team, lead, member, login, name, url):
    assert_constant_queries(login(member), url(world), grow(world, team, lead, member))

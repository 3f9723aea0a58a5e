"""What the page offers and what the server accepts are the same rule (prfaq/policy.py).

For each action under a policy, across every state and role, the button is shown
exactly when the service accepts the action: no page offers what will be refused, and
no refused action hides behind a missing button.
"""

from datetime import date

import pytest
from django.urls import reverse

from prfaq.lifecycle import Status
from prfaq.models import Metric, MetricReading, Proposal
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.review_helpers import approve, write_strong

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(proposal, lead, member):
    leader = MembershipFactory(team=TeamFactory(), user=UserFactory()).user
    write_strong(proposal, lead)
    approve(proposal, lead, member, leader)
    Proposal.objects.filter(pk=proposal.pk).update(launched_on=date(2026, 1, 1))
    return Proposal.objects.get(pk=proposal.pk)


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("role", ["owner", "member", "staff outside the team"])
def test_recording_a_reading_is_offered_exactly_when_it_is_accepted(
    approved, lead, member, login, status, role
):
    Proposal.objects.filter(pk=approved.pk).update(status=status)
    viewer = {
        "owner": lead,
        "member": member,
        "staff outside the team": UserFactory(is_staff=True),
    }[role]
    client = login(viewer)
    page = client.get(reverse("proposal-contract", args=[approved.pk])).content.decode()
    offered = "Record reading" in page
    metric = Metric.objects.filter(proposal=approved).first()
    client.post(
        reverse("metric-reading", args=[approved.pk, metric.pk]),
        {"date": "2026-02-01", "value": "12"},
    )
    accepted = MetricReading.objects.filter(metric=metric).exists()
    assert offered == accepted, (status, role, offered, accepted)
    # The rule itself: members, once launched, and after the outcome too.
    expected = role != "staff outside the team" and status in {"launched", "measured"}
    assert accepted == expected, (status, role)

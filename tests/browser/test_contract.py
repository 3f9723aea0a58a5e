"""From the last gate to a measured contract, and the funnel, in Chromium."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prfaq import services
from prfaq.lifecycle import Status
from prfaq.models import Contract, MetricReading, Proposal
from reviews import services as review_services
from reviews.models import ReviewerRole
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.review_helpers import run_round, write_strong

pytestmark = pytest.mark.django_db(transaction=True)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"


def test_last_gate_contract_readings_chart_and_funnel(
    page, new_context, live_server, signed_in, team, lead, member, console_errors
):
    leader = MembershipFactory(team=TeamFactory(), user=UserFactory(display_name="Lee")).user
    proposal = services.proposal_create(team=team, owner=lead, title="Slot holds")
    write_strong(proposal, lead)
    run_round(proposal, lead, [(member, ReviewerRole.REVIEWER, "approve", "")])
    run_round(
        proposal,
        lead,
        [
            (member, ReviewerRole.REVIEWER, "approve", ""),
            (leader, ReviewerRole.BAR_RAISER, "approve", ""),
        ],
    )
    round_ = review_services.round_open(
        proposal_id=proposal.pk, actor=lead, mode="async", due=timezone.now() + timedelta(days=2),
        reviewers=[review_services.ReviewerChoice(leader.pk, ReviewerRole.APPROVER)],
    )  # fmt: skip

    leader_page = signed_in(new_context(), leader).new_page()
    leader_page.goto(f"{live_server.url}{round_.get_absolute_url()}")
    leader_page.get_by_role("button", name="Start reading").click()
    leader_page.get_by_role("button", name="Done reading").click()
    leader_page.get_by_label("Approve", exact=True).check()
    leader_page.get_by_role("button", name="Record decision").click()
    expect(leader_page.get_by_text("Passed.", exact=True)).to_be_visible()
    assert Proposal.objects.get(pk=proposal.pk).status == Status.APPROVED

    signed_in(page.context, lead)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    page.get_by_role("link", name="Contract").click()
    contract = Contract.objects.get(proposal=proposal)
    expect(page.locator(".hash")).to_have_text(contract.content_hash)
    expect(page.locator(".contract-facts")).to_contain_text("Lee")
    page.get_by_role("button", name="Mark launched").click()
    expect(page.get_by_text("Marked launched.")).to_be_visible()

    metric = page.locator(".metric").first
    metric.get_by_label("Value").fill("71.5")
    metric.get_by_label("Note").fill("first week")
    metric.get_by_role("button", name="Record reading").click()
    expect(page.get_by_text("Reading recorded")).to_be_visible()
    expect(page.locator(".metric").first.locator("svg.chart circle")).to_have_count(1)
    assert MetricReading.objects.get().note == "first week"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "contract.png"), full_page=True)

    page.goto(f"{live_server.url}/funnel/")
    expect(page.locator("svg.funnel-chart")).to_be_visible()
    expect(page.locator("table")).to_contain_text(re.compile("Launched"))
    page.screenshot(path=str(ARTIFACTS / "funnel.png"), full_page=True)
    assert console_errors == []

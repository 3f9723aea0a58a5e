"""Writing checks as an author sees them in Chromium."""

import copy
import re

import pytest
from playwright.sync_api import expect

from prfaq import document
from prfaq.demo_content import SHOWCASE
from prfaq.lifecycle import Status
from prfaq.models import Proposal
from tests.prfaq.helpers import save_step

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def nearly_ready(proposal, lead):
    """The strong demo PR/FAQ, with its call to action left empty (an error)."""
    content = copy.deepcopy(SHOWCASE)
    content["press_release"]["call_to_action"] = ""
    for step in document.STEPS:
        save_step(proposal, lead, step.key, content[step.key])
    return proposal


def test_weak_text_lights_up_strong_text_clears_and_submit_waits_for_fixes(
    page, live_server, signed_in, nearly_ready, lead, member, console_errors
):
    proposal = nearly_ready
    signed_in(page.context, lead)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/steps/press-release/")
    summary = page.get_by_label("Summary")
    summary.fill("Our revolutionary checkout significantly helps many customers.")
    findings = page.locator("#findings_summary")
    expect(findings.locator("mark", has_text="revolutionary")).to_be_visible()
    expect(findings.locator("mark", has_text="significantly")).to_be_visible()
    expect(findings.locator("mark", has_text="many")).to_be_visible()
    expect(page.locator("#step-rail .is-current .count--warning")).to_be_visible()

    summary.fill("From today, customers choose a delivery slot first and keep it for 60 minutes.")
    expect(page.locator("#save-status")).to_have_text(re.compile("Saved at"), timeout=10_000)
    expect(findings.locator(".finding")).to_have_count(0)

    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    submit = page.get_by_role("button", name="Submit for review")
    expect(submit).to_be_disabled()
    expect(page.locator(".readiness")).to_contain_text("1 error to fix before review")

    page.get_by_role("link", name="Press release").first.click()
    page.wait_for_load_state("load")
    expect(page.locator("#findings_call_to_action")).to_contain_text("is empty")
    page.get_by_label("Call to action").fill("Choose your slot at harbourmarket.example.")
    expect(page.locator("#findings_call_to_action .finding")).to_have_count(0)
    expect(page.locator("#save-status")).to_have_text(re.compile("Saved at"), timeout=10_000)

    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("heading", name="Open the Team round")).to_be_visible()
    page.get_by_label(member.display_name).select_option("approver")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("heading", name="Round 1: Team")).to_be_visible()
    assert Proposal.objects.get(pk=proposal.pk).status == Status.IN_REVIEW
    assert console_errors == []

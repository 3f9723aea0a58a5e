"""Writing a PR/FAQ in real Chromium: the steps, autosave, recovery, conflicts, the memo."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from prfaq.models import Proposal, Revision

pytestmark = pytest.mark.django_db(transaction=True)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"


def newest_text(proposal_id, step, field):
    return Proposal.objects.get(pk=proposal_id).current_revision.content[step][field]


def test_write_all_five_steps_with_autosave_then_read_the_memo(
    page, live_server, signed_in, team, lead, console_errors
):
    signed_in(page.context, lead)
    page.goto(f"{live_server.url}/proposals/new/")
    page.get_by_label("Title").fill("Hold the delivery slot")
    page.get_by_role("button", name="Start with the customer").click()
    expect(page.get_by_role("heading", name="Customer", level=1)).to_be_visible()
    page.wait_for_load_state("load")  # htmx wires autosave when the page has loaded
    proposal_id = int(re.search(r"/proposals/(\d+)/", page.url).group(1))

    # Autosave: typing stops, two seconds later the server has it.
    page.get_by_label("Who exactly is the customer?").fill("Households doing one weekly shop")
    expect(page.locator("#save-status")).to_have_text(
        re.compile(r"Saved at \d\d:\d\d"), timeout=10_000
    )
    assert newest_text(proposal_id, "customer", "who") == "Households doing one weekly shop"
    page.get_by_label("How many of them are there?").fill("40,000 (order data)")
    page.get_by_label("How do we know?").fill("October survey of 2,000 customers")
    page.get_by_role("button", name=re.compile("Save and continue: Problem")).click()

    expect(page.get_by_role("heading", name="Problem", level=1)).to_be_visible()
    page.get_by_label("The problem, in the customer's words").fill(
        "My slot is gone by the time I pay."
    )
    page.get_by_label("What do they do today instead?").fill("Pay for a placeholder basket first.")
    page.get_by_role("button", name=re.compile("Save and continue: Benefit")).click()

    page.get_by_label("The one most important customer benefit").fill("Keep the slot you chose.")
    page.get_by_role("button", name="Add a metric").click()
    page.get_by_label("Metric", exact=True).fill("Orders delivered in the chosen slot")
    page.get_by_label("Baseline").fill("62")
    page.get_by_label("Target").fill("95")
    page.get_by_label("Due").fill("2027-06-30")
    page.get_by_role("button", name=re.compile("Save and continue: Press release")).click()

    expect(page.get_by_text("What you said earlier")).to_be_visible()
    expect(page.locator(".earlier")).to_contain_text("Households doing one weekly shop")
    page.get_by_label("Headline").fill("Harbour Market holds your delivery slot while you shop")
    page.get_by_label("Summary").fill("From today customers choose a slot **first**.")
    page.get_by_role("button", name=re.compile("Save and continue: FAQ")).click()

    page.get_by_role("button", name=re.compile(r"\+ How much does it cost")).first.click()
    expect(page.locator(".row-card--faq")).to_have_count(1)
    page.locator(".row-card--faq textarea").fill("Nothing: holds are free.")
    page.get_by_role("button", name="Add an internal question").click()
    expect(page.locator(".row-card--faq")).to_have_count(2)
    page.locator(".row-card--faq").nth(1).locator("input[type=text]").fill("Why now?")
    page.locator(".row-card--faq").nth(1).locator("textarea").fill("Evening demand doubled.")
    page.get_by_role("button", name=re.compile("Save and read the memo")).click()

    expect(page.locator(".memo-headline")).to_have_text(
        "Harbour Market holds your delivery slot while you shop"
    )
    expect(page.locator(".memo")).to_contain_text("Nothing: holds are free.")
    expect(page.locator(".memo strong").first).to_have_text("first")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "memo.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "memo-print.png"), full_page=True)
    assert console_errors == []


def test_reload_mid_typing_offers_the_unsaved_text_back(
    page, live_server, signed_in, proposal, lead, console_errors
):
    signed_in(page.context, lead)
    url = f"{live_server.url}/proposals/{proposal.pk}/steps/problem/"
    page.goto(url)
    # The server is unreachable for autosave: the text must survive in the browser.
    page.route(
        "**/steps/problem/",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_label("The problem, in the customer's words").fill("Typed while offline")
    expect(page.locator("#save-status")).to_have_text("Not saved — retrying", timeout=10_000)
    page.unroute("**/steps/problem/")
    page.reload()

    expect(page.get_by_text("You have unsaved text from")).to_be_visible()
    assert page.get_by_label("The problem, in the customer's words").input_value() == ""
    page.get_by_role("button", name="Restore it").click()
    assert (
        page.get_by_label("The problem, in the customer's words").input_value()
        == "Typed while offline"
    )
    expect(page.locator("#save-status")).to_have_text(re.compile(r"Saved at"), timeout=10_000)
    assert newest_text(proposal.pk, "problem", "statement") == "Typed while offline"
    page.reload()
    expect(page.get_by_text("You have unsaved text from")).to_be_hidden()
    # The browser and htmx log the refused requests above; nothing else may be logged.
    expected = ("ERR_FAILED", "htmx:sendError", "htmx:afterRequest")
    assert [e for e in console_errors if not any(x in e for x in expected)] == []


def test_conflict_between_two_browsers_keeps_both_texts(
    new_context, live_server, signed_in, proposal, lead, member, console_errors
):
    first = signed_in(new_context(), lead).new_page()
    second = signed_in(new_context(), member).new_page()
    url = f"{live_server.url}/proposals/{proposal.pk}/steps/customer/"
    first.goto(url)
    second.goto(url)

    first.get_by_label("Who exactly is the customer?").fill("Weekly shoppers (first)")
    expect(first.locator("#save-status")).to_have_text(re.compile("Saved at"), timeout=10_000)

    second.get_by_label("Who exactly is the customer?").fill("Evening shoppers (second)")
    expect(second.get_by_text("saved this step while you were editing")).to_be_visible()
    expect(second.locator(".conflict__theirs")).to_contain_text("Weekly shoppers (first)")
    assert (
        second.get_by_label("Who exactly is the customer?").input_value()
        == "Evening shoppers (second)"
    )
    assert newest_text(proposal.pk, "customer", "who") == "Weekly shoppers (first)"

    # Merge by hand, then save.
    second.get_by_label("Who exactly is the customer?").fill("Weekly and evening shoppers")
    second.get_by_role("button", name="Save my version").click()
    expect(second.get_by_text("Saved customer")).to_be_visible()
    assert newest_text(proposal.pk, "customer", "who") == "Weekly and evening shoppers"
    texts = {r.content["customer"]["who"] for r in Revision.objects.filter(proposal=proposal)}
    assert "Weekly shoppers (first)" in texts
    first.context.close()
    second.context.close()

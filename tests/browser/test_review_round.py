"""A review in real Chromium: three silent readers, a gate, a revision, a kill."""

import copy
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prfaq import document, services
from prfaq.demo_content import SHOWCASE
from prfaq.lifecycle import Status
from prfaq.models import Proposal
from reviews import services as review_services
from reviews.models import ReviewerRole, Round
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.prfaq.helpers import save_step

pytestmark = pytest.mark.django_db(transaction=True)
STRONG = SHOWCASE


def write_strong(proposal, owner):
    content = copy.deepcopy(STRONG)
    for step in document.STEPS:
        save_step(proposal, owner, step.key, content[step.key])


@pytest.fixture
def people(team):
    return [
        MembershipFactory(team=team, user=UserFactory(display_name=n)).user
        for n in ("Ana", "Ben", "Cy")
    ]


def test_three_silent_readers_a_gate_a_revision_and_a_pass(
    new_context, live_server, signed_in, team, lead, people, console_errors
):
    proposal = services.proposal_create(team=team, owner=lead, title="Slot holds")
    write_strong(proposal, lead)
    owner = signed_in(new_context(), lead).new_page()
    owner.goto(f"{live_server.url}/proposals/{proposal.pk}/rounds/new/")
    for person in people:
        owner.get_by_label(person.display_name).select_option("reviewer")
    owner.get_by_role("button", name="Open the round").click()
    expect(owner.get_by_role("heading", name="Round 1: Team")).to_be_visible()
    url = owner.url

    pages = {}
    for person in people:
        page = signed_in(new_context(), person).new_page()
        page.goto(url)
        page.get_by_role("button", name="Start reading").click()
        expect(page.get_by_text("Silent reading")).to_be_visible()
        page.get_by_label("Comment", exact=True).fill(f"Note from {person.display_name}")
        page.get_by_role("button", name="Save private draft").click()
        expect(page.locator("#comments")).to_contain_text(f"Note from {person.display_name}")
        pages[person.display_name] = page
    for name, page in pages.items():
        page.reload()
        for other in pages:
            if other != name:
                expect(page.locator("#comments")).not_to_contain_text(f"Note from {other}")

    for page in pages.values():
        page.get_by_role("button", name="Done reading").click()
    for page in pages.values():
        page.reload()
        for other in pages:
            expect(page.locator("#comments")).to_contain_text(f"Note from {other}")

    ana = pages["Ana"]
    ana.get_by_label("Request changes").check()
    ana.get_by_label("Note").fill("Say what happens when the hold ends mid-checkout.")
    ana.get_by_role("button", name="Record decision").click()
    for name in ("Ben", "Cy"):
        pages[name].reload()
        pages[name].get_by_label("Approve", exact=True).check()
        pages[name].get_by_role("button", name="Record decision").click()
    owner.reload()
    expect(owner.get_by_text("Changes requested.", exact=False).first).to_be_visible()
    assert Proposal.objects.get(pk=proposal.pk).status == Status.CHANGES_REQUESTED

    owner.get_by_role("link", name="Revise the draft").click()
    owner.get_by_role("link", name=re.compile("FAQ")).first.click()
    owner.wait_for_load_state("load")
    owner.locator(".row-card--faq textarea").first.fill(
        "The basket stays; the slot goes back; you pick again."
    )
    expect(owner.locator("#save-status")).to_have_text(re.compile("Saved at"), timeout=10_000)
    owner.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    owner.get_by_role("button", name="Submit for review").click()
    owner.get_by_label("Ana").select_option("reviewer")
    owner.get_by_role("button", name="Open the round").click()
    expect(owner.get_by_role("heading", name="Round 2: Team")).to_be_visible()

    ana.goto(owner.url)
    ana.get_by_role("button", name="Start reading").click()
    ana.get_by_role("button", name="Done reading").click()
    ana.get_by_label("Approve", exact=True).check()
    ana.get_by_role("button", name="Record decision").click()
    owner.reload()
    expect(owner.get_by_text("Passed.", exact=True)).to_be_visible()
    expect(owner.get_by_role("link", name="Open the Peers & stakeholders round")).to_be_visible()
    assert Round.objects.get(proposal=proposal, number=2).outcome == "passed"
    assert console_errors == []


def test_a_leader_kills_with_a_reason_shown_on_the_timeline(
    new_context, live_server, signed_in, team, lead, people
):
    leader = MembershipFactory(team=TeamFactory(), user=UserFactory(display_name="Lee")).user
    proposal = services.proposal_create(team=team, owner=lead, title="Gift wrap")
    write_strong(proposal, lead)
    due = timezone.now() + timedelta(days=2)
    for reviewer_choices in [
        [review_services.ReviewerChoice(people[0].pk)],
        [
            review_services.ReviewerChoice(people[0].pk),
            review_services.ReviewerChoice(leader.pk, ReviewerRole.BAR_RAISER),
        ],
    ]:
        round_ = review_services.round_open(
            proposal_id=proposal.pk, actor=lead, mode="async", due=due, reviewers=reviewer_choices
        )
        for c in reviewer_choices:
            user = type(lead).objects.get(pk=c.user_id)
            review_services.reading_start(round_id=round_.pk, user=user)
            review_services.reading_done(round_id=round_.pk, user=user)
            review_services.decision_record(round_id=round_.pk, reviewer=user, decision="approve")
    round_ = review_services.round_open(
        proposal_id=proposal.pk, actor=lead, mode="async", due=due,
        reviewers=[review_services.ReviewerChoice(leader.pk, ReviewerRole.APPROVER)],
    )  # fmt: skip
    page = signed_in(new_context(), leader).new_page()
    page.goto(f"{live_server.url}{round_.get_absolute_url()}")
    page.get_by_role("button", name="Start reading").click()
    page.get_by_role("button", name="Done reading").click()
    page.get_by_label("Kill").check()
    page.get_by_label("Note").fill("Eleven requests a year: not a problem worth a team.")
    page.get_by_role("button", name="Record decision").click()
    assert Proposal.objects.get(pk=proposal.pk).status == Status.KILLED

    member = signed_in(new_context(), people[1]).new_page()
    member.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    expect(member.locator(".timeline")).to_contain_text("Eleven requests a year")
    expect(member.locator(".status").first).to_have_text(re.compile("Killed"))

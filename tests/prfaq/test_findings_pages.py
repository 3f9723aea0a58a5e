"""Writing checks in the editor and on the memo; keeping warnings; gated submission."""

import copy

import pytest
from django.urls import reverse

from prfaq import document
from prfaq.demo_content import SHOWCASE
from prfaq.lifecycle import Status
from prfaq.models import Acknowledgement, Event, Proposal
from tests.prfaq.helpers import save_step

pytestmark = pytest.mark.django_db

STRONG = copy.deepcopy(SHOWCASE)


def write(proposal, user, content):
    for step in document.STEPS:
        save_step(proposal, user, step.key, content[step.key])


def newest(proposal):
    return Proposal.objects.get(pk=proposal.pk).current_revision


def test_autosave_returns_findings_beside_the_field_with_words_highlighted(login, proposal, lead):
    url = reverse("proposal-step", args=[proposal.pk, "press-release"])
    data = {
        "headline": "A revolutionary slot",
        "summary": "Many customers love it.",
        "autosave": "1",
        "step_hash": document.step_hash(newest(proposal).content, "press_release"),
    }
    body = login(lead).post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="findings_headline" class="findings" hx-swap-oob="true"' in body
    assert "A <mark>revolutionary</mark> slot" in body
    assert "<mark>Many</mark> customers love it." in body
    assert 'id="step-rail"' in body
    assert "hx-swap-oob" in body


def test_step_page_shows_stored_findings_and_memo_sums_them_up(login, proposal, lead, member, hx):
    save_step(proposal, lead, "benefit", {"benefit": "Customers keep their slot.", "metrics": [
        {"id": "m1", "name": "Launch slot holds", "kind": "output", "unit": "", "baseline": "",
         "target": "", "due": ""}]})  # fmt: skip
    client = login(member)
    step = client.get(
        reverse("proposal-step", args=[proposal.pk, "benefit"]), **hx
    ).content.decode()
    assert "measures work shipped" in step
    assert "has no number" in step
    assert 'class="count count--error"' in step
    memo = client.get(reverse("proposal-memo", args=[proposal.pk]), **hx).content.decode()
    assert "to fix before review" in memo


def test_keeping_a_warning_needs_a_reason_and_reviewers_see_it(login, proposal, lead, member):
    write(proposal, lead, STRONG)
    finding = next(f for f in newest(proposal).findings if f["severity"] == "warning")
    client = login(lead)
    url = reverse("finding-acknowledge", args=[proposal.pk])
    empty = client.post(url, {"key": finding["key"], f"reason-{finding['key']}": " "}, follow=True)
    assert b"Say in a few words why" in empty.content
    client.post(
        url, {"key": finding["key"], f"reason-{finding['key']}": "Deliberate: a pilot figure."}
    )
    assert Acknowledgement.objects.get(proposal=proposal).reason == "Deliberate: a pilot figure."
    memo = login(member).get(reverse("proposal-memo", args=[proposal.pk])).content.decode()
    assert "Warnings kept on purpose" in memo
    assert "Deliberate: a pilot figure." in memo

    bogus = client.post(url, {"key": "0" * 16, "reason-" + "0" * 16: "x"}, follow=True)
    assert b"That finding is gone" in bogus.content
    # An unsafe `next` is ignored rather than followed off-site.
    away = client.post(url, {"key": finding["key"], "reason": "r", "next": "https://evil.example/"})
    assert away["Location"] == proposal.get_absolute_url()


def test_errors_cannot_be_kept(login, proposal, lead):
    error = next(f for f in newest(proposal).findings if f["severity"] == "error")
    response = login(lead).post(
        reverse("finding-acknowledge", args=[proposal.pk]),
        {"key": error["key"], "reason": "please"},
        follow=True,
    )
    assert b"Errors cannot be acknowledged" in response.content
    assert not Acknowledgement.objects.exists()


def test_submission_is_blocked_by_errors_and_allowed_once_fixed(login, proposal, lead, member):
    from datetime import timedelta

    from django.utils import timezone

    from reviews import services as review_services

    client = login(lead)
    url = reverse("proposal-submit", args=[proposal.pk])
    blocked = client.post(url, follow=True)
    assert b"must be fixed before review" in blocked.content
    choice = [review_services.ReviewerChoice(member.pk)]
    due = timezone.now() + timedelta(days=3)
    with pytest.raises(Exception, match="must be fixed before review"):
        review_services.round_open(
            proposal_id=proposal.pk, actor=lead, mode="async", due=due, reviewers=choice
        )
    assert Proposal.objects.get(pk=proposal.pk).status == Status.DRAFTING

    write(proposal, lead, STRONG)
    assert login(member).post(url).status_code == 403  # only the owner submits
    response = client.post(url)
    assert response["Location"] == reverse("round-new", args=[proposal.pk])
    review_services.round_open(
        proposal_id=proposal.pk, actor=lead, mode="async", due=due, reviewers=choice
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.IN_REVIEW
    assert newest(proposal).frozen is True
    assert Event.objects.filter(proposal=proposal, action="submit").exists()
    again = client.post(url, follow=True)
    assert "cannot be submitted now" in again.content.decode()

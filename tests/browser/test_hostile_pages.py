"""Hostile text on every page that shows it, in real Chromium: nothing of it runs.

Our vectors call alert() (a dialog), load scripts from elsewhere or request
/evil-… through htmx attributes. A page that ran any of them would open a dialog,
report a Content Security Policy violation, log an error or ask for an evil URL.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from prfaq import document
from tests.security.corpus import OURS
from tests.security.seed import seed

pytestmark = pytest.mark.django_db(transaction=True)
EVIL_URL = re.compile(r"evil-\d")

# Every securitypolicyviolation event the page fires, kept where the test can read it.
RECORD_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def test_pages_full_of_hostile_text_run_none_of_it(page, live_server, signed_in, console_errors):
    scene = seed(OURS)
    draft = scene.draft

    dialogs: list[str] = []
    evil_requests: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # Our htmx and script vectors point at /evil-36, //evil-2.example and the like.
    page.on("request", lambda r: evil_requests.append(r.url) if EVIL_URL.search(r.url) else None)
    page.add_init_script(RECORD_CSP)
    signed_in(page.context, scene.lead)

    launched = scene.launched.pk
    urls = [
        reverse("dashboard"),
        reverse("proposal-list"),
        reverse("proposal-list") + "?q=evil",
        reverse("notifications"),
        reverse("review-queue"),
        reverse("team-detail", args=[scene.team.slug]),
        reverse("proposal-memo", args=[launched]),
        reverse("proposal-memo", args=[scene.killed.pk]),
        reverse("proposal-memo", args=[scene.withdrawn.pk]),
        reverse("proposal-history", args=[launched]),
        reverse("proposal-diff", args=[draft.pk]) + "?a=1&b=1&all=1",
        reverse("proposal-contract", args=[launched]),
        scene.round.get_absolute_url(),
        *[reverse("proposal-step", args=[draft.pk, step.slug]) for step in document.STEPS],
    ]
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")  # htmx "load" triggers would have fired
        assert page.evaluate("window.__csp") == [], url
        assert (dialogs, evil_requests, console_errors) == ([], [], []), url

    # Typing hostile text and previewing it: the htmx swap is as inert as the page.
    page.goto(f"{live_server.url}{reverse('proposal-step', args=[draft.pk, 'press-release'])}")
    page.wait_for_load_state("load")
    page.locator("details.preview summary").first.click()
    page.get_by_label("Summary").fill("\n\n".join(OURS[:38]))
    page.get_by_role("button", name="Preview what I typed").first.click()
    expect(page.locator("#preview_summary")).to_contain_text("alert('evil-1')")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
    assert (dialogs, evil_requests, console_errors) == ([], [], [])


def test_importing_a_document_of_hostile_text_runs_none_of_it(
    page, live_server, signed_in, team, lead, console_errors
):
    from tests.security.test_hostile_input import hostile_document

    dialogs: list[str] = []
    evil_requests: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda r: evil_requests.append(r.url) if EVIL_URL.search(r.url) else None)
    page.add_init_script(RECORD_CSP)
    signed_in(page.context, lead)

    page.goto(f"{live_server.url}{reverse('proposal-new')}")
    page.wait_for_load_state("load")
    page.get_by_label("Or paste the text").fill(
        hostile_document([v for v in OURS if "\x00" not in v])
    )
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name="Check where each part goes")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".import-blocks")).to_contain_text("alert('evil-1')")
    assert page.evaluate("window.__csp") == []
    assert (dialogs, evil_requests, console_errors) == ([], [], [])

    page.get_by_label("Title").fill("Hostile import")
    page.get_by_role("button", name="Create proposal").click()
    expect(page).to_have_url(re.compile(r"/proposals/\d+/$"), timeout=20_000)
    expect(page.locator(".memo-toolbar__title")).to_have_text("Hostile import")
    proposal_url = page.url
    for url in [proposal_url, *[f"{proposal_url}steps/{s.slug}/" for s in document.STEPS]]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], url
        assert (dialogs, evil_requests, console_errors) == ([], [], []), url

import json

import pytest
from django.urls import reverse

from prfaq import document
from prfaq.guidance import FAQ_CHECKLIST
from prfaq.models import Proposal
from tests.prfaq.helpers import save_step

pytestmark = pytest.mark.django_db


def step_url(proposal, slug):
    return reverse("proposal-step", args=[proposal.pk, slug])


def newest(proposal):
    return Proposal.objects.get(pk=proposal.pk).current_revision


def base(proposal, step):
    return document.step_hash(newest(proposal).content, step)


def test_every_step_page_shows_guidance_rail_and_earlier_answers(login, proposal, lead, hx):
    save_step(proposal, lead, "customer", {"who": "Evening *shoppers*"})
    client = login(lead)
    for step in document.STEPS:
        body = client.get(step_url(proposal, step.slug), **hx).content.decode()
        assert "What good looks like" in body
        assert all(s.title in body for s in document.STEPS)  # the progress rail
        assert 'class="example example--weak"' in body
        assert 'class="example example--strong"' in body
    press = client.get(step_url(proposal, "press-release")).content.decode()
    assert "What you said earlier" in press
    assert "<em>shoppers</em>" in press


def test_plain_post_saves_and_moves_on(login, proposal, lead):
    response = login(lead).post(
        step_url(proposal, "customer"),
        {"who": "Weekly shoppers", "how_many": "40,000", "evidence": "", "action": "next",
         "step_hash": base(proposal, "customer")},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == step_url(proposal, "problem")
    assert newest(proposal).content["customer"]["how_many"] == "40,000"


def test_autosave_answers_with_status_and_new_base(login, proposal, lead):
    response = login(lead).post(
        step_url(proposal, "problem"),
        {"statement": "My slot is gone", "today": "", "autosave": "1",
         "step_hash": base(proposal, "problem")},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saved at" in body
    new_hash = base(proposal, "problem")
    assert f'id="step-hash" value="{new_hash}" hx-swap-oob="true"' in body
    assert json.loads(response["HX-Trigger"]) == {"prfaqSaved": {"hash": new_hash}}
    assert "<form" not in body  # the text being typed is not replaced


@pytest.mark.parametrize("htmx", [False, True])
def test_stale_save_shows_both_versions_and_writes_nothing(login, proposal, lead, member, htmx):
    stale = base(proposal, "problem")
    save_step(proposal, member, "problem", {"statement": "THEIR WORDS", "today": ""})
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    data = {
        "statement": "MY WORDS",
        "today": "",
        "step_hash": stale,
        "autosave": "1" if htmx else "",
    }
    response = login(lead).post(step_url(proposal, "problem"), data, **headers)
    body = response.content.decode()
    assert "saved this step while you were editing" in body
    assert "THEIR WORDS" in body
    assert "MY WORDS" in body
    assert "Save my version" in body
    assert "Take their version" in body
    if htmx:
        assert response["HX-Retarget"] == "#editor"
        assert 'id="autosave"' not in body  # no autosave until the author decides
    else:
        assert response.status_code == 409
    assert newest(proposal).content["problem"]["statement"] == "THEIR WORDS"
    # The conflict form carries the new base, so "Save my version" now succeeds.
    new_base = base(proposal, "problem")
    assert f'value="{new_base}"' in body
    kept = login(lead).post(
        step_url(proposal, "problem"), {"statement": "MY WORDS", "today": "", "step_hash": new_base}
    )
    assert kept.status_code == 302
    assert newest(proposal).content["problem"]["statement"] == "MY WORDS"


def metric_post(proposal, **overrides):
    data = {
        "benefit": "Keep the slot you chose.",
        "metric": ["m1"],
        "metric-m1-name": "Orders in the chosen slot",
        "metric-m1-kind": "output",
        "metric-m1-unit": "%",
        "metric-m1-baseline": "62",
        "metric-m1-target": "95",
        "metric-m1-due": "2027-06-30",
        "step_hash": base(proposal, "benefit"),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("metric-m1-baseline", "lots", "The baseline must be a number"),
        ("metric-m1-target", "NaN", "The target must be a finite number"),
        ("metric-m1-due", "next spring", "Enter the due date as YYYY-MM-DD."),
        ("metric-m1-kind", "vibes", "Select a valid choice."),
        ("benefit", "x" * 301, "Keep this to 300 characters or fewer"),
        ("metric-m1-name", "bad\x00byte", "Null characters are not allowed."),
    ],
)
def test_bad_metric_input_is_refused_with_the_reason(
    login, proposal, lead, hx, field, value, message
):
    before = newest(proposal).content_hash
    response = login(lead).post(
        step_url(proposal, "benefit"), metric_post(proposal, **{field: value}), **hx
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert newest(proposal).content_hash == before


def test_metrics_are_added_edited_and_removed(login, proposal, lead, hx):
    client = login(lead)
    client.post(step_url(proposal, "benefit"), metric_post(proposal, action="add_metric"), **hx)
    metrics = newest(proposal).content["benefit"]["metrics"]
    assert [m["id"] for m in metrics] == ["m1", "m2"]
    assert metrics[0] | {"id": "m1"} == {
        "id": "m1", "name": "Orders in the chosen slot", "kind": "output", "unit": "%",
        "baseline": "62", "target": "95", "due": "2027-06-30",
    }  # fmt: skip
    data = metric_post(proposal, action="remove_metric:m1")
    data["metric"] = ["m1", "m2"]
    data.update({"metric-m2-kind": "input", "metric-m2-name": "Holds placed"})
    client.post(step_url(proposal, "benefit"), data, **hx)
    assert [m["name"] for m in newest(proposal).content["benefit"]["metrics"]] == ["Holds placed"]


def test_long_fields_have_a_limit_with_a_message(login, proposal, lead):
    response = login(lead).post(
        step_url(proposal, "customer"),
        {"who": "x" * 20_001, "step_hash": base(proposal, "customer")},
    )
    assert "Keep this to 20,000 characters or fewer (it has 20001)" in response.content.decode()
    assert newest(proposal).content["customer"]["who"] == ""
    ok = login(lead).post(
        step_url(proposal, "customer"),
        {"who": "x" * 20_000, "step_hash": base(proposal, "customer")},
    )
    assert ok.status_code == 302


def faq_post(proposal, entries, **extra):
    data = {"faq": [e[0] for e in entries], "step_hash": base(proposal, "faq"), **extra}
    for row_id, question, audience in entries:
        data[f"faq-{row_id}-question"] = question
        data[f"faq-{row_id}-answer"] = f"Answer to {question}"
        data[f"faq-{row_id}-audience"] = audience
    return data


def test_faq_entries_add_suggest_reorder_remove(login, proposal, lead, hx):
    client = login(lead)
    url = step_url(proposal, "faq")
    client.post(url, faq_post(proposal, [], action="add_faq:internal"), **hx)
    assert newest(proposal).content["faq"]["entries"][0]["audience"] == "internal"

    entries = [("f1", "Why now?", "internal")]
    client.post(url, faq_post(proposal, entries, action="suggest:external:0"), **hx)
    rows = newest(proposal).content["faq"]["entries"]
    assert [r["question"] for r in rows] == ["Why now?", FAQ_CHECKLIST["external"][0]]
    assert rows[1]["audience"] == "external"

    entries = [("f1", "Why now?", "internal"), ("f2", "What does it cost?", "external")]
    client.post(url, faq_post(proposal, entries, action="up:f2"), **hx)
    assert [r["id"] for r in newest(proposal).content["faq"]["entries"]] == ["f2", "f1"]

    entries = [("f2", "What does it cost?", "external"), ("f1", "Why now?", "internal")]
    client.post(url, faq_post(proposal, entries, action="remove_faq:f2"), **hx)
    assert [r["question"] for r in newest(proposal).content["faq"]["entries"]] == ["Why now?"]

    page = client.get(url).content.decode()
    assert "Why now?" in page


def test_faq_and_metric_counts_are_capped(login, proposal, lead):
    client = login(lead)
    many = [(f"f{i}", f"Q{i}", "external") for i in range(1, 202)]
    response = client.post(step_url(proposal, "faq"), faq_post(proposal, many))
    assert "at most 200 FAQ entries" in response.content.decode()
    data = metric_post(proposal)
    data["metric"] = [f"m{i}" for i in range(1, 52)]
    for i in range(2, 52):
        data[f"metric-m{i}-kind"] = "input"
    response = client.post(step_url(proposal, "benefit"), data)
    assert "at most 50 metrics" in response.content.decode()
    assert newest(proposal).content["faq"]["entries"] == []


def test_preview_renders_safely_and_stores_nothing(login, proposal, lead):
    before = newest(proposal).content_hash
    response = login(lead).post(
        reverse("markdown-preview", args=[proposal.pk]),
        {"field": "summary", "summary": "**Bold** <script>alert(1)</script>"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<strong>Bold</strong>" in body
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
    assert newest(proposal).content_hash == before


def test_a_refused_editor_action_says_why_in_the_same_htmx_answer(login, proposal, lead):
    """The editor partial holds no messages area: the message comes with it, out of
    band, instead of waiting for the next full page load."""
    client = login(lead)
    data = metric_post(proposal)
    data["metric"] = [f"m{i}" for i in range(1, 51)]
    for i in range(2, 51):
        data[f"metric-m{i}-kind"] = "input"
    response = client.post(
        step_url(proposal, "benefit"), {**data, "action": "add_metric"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert '<div id="messages" class="messages" aria-live="polite" hx-swap-oob="true">' in body
    assert "A PR/FAQ can have at most 50 metrics." in body
    # Shown once: the next page does not repeat it.
    assert "at most 50 metrics" not in client.get(step_url(proposal, "benefit")).content.decode()


def test_a_textarea_gives_back_its_text_with_leading_newlines(login, proposal, lead):
    """A browser drops one newline right after <textarea>, so a value printed straight
    after the tag lost its first line break at every save of the step, even unedited."""
    import html
    import re

    save_step(proposal, lead, "customer", {"who": "\nWeekly shoppers", "evidence": "x"})
    stored = newest(proposal).content["customer"]["who"]
    assert stored.startswith("\n")
    page = login(lead).get(step_url(proposal, "customer")).content.decode()
    raw = re.search(r'<textarea name="who"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    as_browser_reads_it = html.unescape(raw.removeprefix("\n"))
    assert as_browser_reads_it == stored

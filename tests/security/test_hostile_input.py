"""Hostile text through every form a user can type into.

Each value is either stored exactly as typed (after the whitespace trim a field
promises) or refused with an error the page shows; never a 500 (the test client
re-raises a server error). Pages, htmx fragments, exports and emails built from the
stored text run none of it.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from unicodedata import category as unicodedata_category

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prfaq import diff, document, findings, importing, metrics, rendering
from prfaq.models import Notification, NotificationStatus, Proposal
from tests.security.corpus import (
    BLNS,
    OURS,
    TEMPLATE_SYNTAX,
    assert_inert,
    assert_shown_as_typed,
    errors_shown,
    inspect_html,
    long_string,
    sample,
    storable,
)

pytestmark = pytest.mark.django_db

NULL = "Null characters are not allowed."


def newest(proposal):
    return Proposal.objects.get(pk=proposal.pk).current_revision


def step_hash(proposal, step_key):
    return document.step_hash(newest(proposal).content, step_key)


def expected_errors(value: str, max_length: int, *, strip: bool = False) -> list[str]:
    """What a CharField says about `value` (the part every wording of it shares), or []."""
    value = value.strip() if strip else value
    errors = []
    if len(value) > max_length:
        errors.append(f"(it has {len(value)})")
    if "\x00" in value:
        errors.append(NULL)
    return errors


def assert_says(shown: str, errors: list[str], where: str) -> None:
    """A refusal the page explains: some error is shown, and each expected one."""
    assert shown, where
    for error in errors:
        assert error in shown, (where, error, shown[:300])


def has_any(value: str, categories: set[str], allowed: str = "") -> bool:
    """Whether `value` has a character of these Unicode categories ("Cc": controls)."""
    return any(unicodedata_category(c) in categories and c not in allowed for c in value)


def test_every_naughty_string_is_inert_through_each_html_builder():
    """The cheap paths, for the whole list: Markdown, word diffs, highlights, charts."""
    today = timezone.localdate()
    for value in [*BLNS, *OURS]:
        pieces = {
            "markdown": rendering.render(value),
            "diff": diff.words(value, f"{value} and more"),
            "highlight": findings.highlight(value, 0, len(value)),
            "chart": metrics.chart(
                name=value, unit=value, baseline=Decimal(1), target=Decimal(2), due=today,
                start=today - timedelta(days=9), readings=[metrics.Point(today, Decimal(1))],
            ),
        }  # fmt: skip
        for builder, html in pieces.items():
            assert inspect_html(html).problems == [], (builder, repr(value))


# --- The five authoring steps ------------------------------------------------------------


def step_data(step, value):
    """Every input of `step` holding `value`: its fields, one metric or one FAQ entry."""
    data = {f.key: value for f in step.fields}
    if step.has_metrics:
        data |= {
            "metric": "m1", "metric-m1-name": value, "metric-m1-kind": "output",
            "metric-m1-unit": value, "metric-m1-baseline": "10", "metric-m1-target": "2",
            "metric-m1-due": "2027-06-30",
        }  # fmt: skip
    if step.has_faq:
        data |= {
            "faq": "f1", "faq-f1-question": value, "faq-f1-answer": value,
            "faq-f1-audience": "internal",
        }  # fmt: skip
    return data


def step_expectations(step, value):
    """{(stored path): (expected text, [errors])} for every input step_data fills."""
    rows = {}
    for f in step.fields:
        rows[(f.key,)] = (value, expected_errors(value, f.max_length))
    if step.has_metrics:
        rows[("metrics", 0, "name")] = (value, expected_errors(value, 200))
        rows[("metrics", 0, "unit")] = (value.strip(), expected_errors(value, 40, strip=True))
    if step.has_faq:
        rows[("entries", 0, "question")] = (value, expected_errors(value, document.QUESTION_MAX))
        rows[("entries", 0, "answer")] = (value, expected_errors(value, document.LONG_MAX))
    return rows


def stored(content, path):
    for key in path:
        content = content[key]
    return content


@pytest.mark.parametrize("step", document.STEPS, ids=[s.slug for s in document.STEPS])
def test_step_inputs_store_hostile_text_as_typed_or_say_why_not(login, proposal, lead, step):
    client = login(lead)
    url = reverse("proposal-step", args=[proposal.pk, step.slug])
    lengths = sorted({f.max_length for f in step.fields} | {40, 200, document.QUESTION_MAX})
    values = [*sample(24, ours=2), *(long_string(n) for n in lengths), long_string(lengths[-1] + 1)]
    for value in values:
        before = newest(proposal)
        data = {**step_data(step, value), "step_hash": step_hash(proposal, step.key)}
        response = client.post(url, {**data, "action": "save"})
        expected = step_expectations(step, value)
        refused = {path: errors for path, (_, errors) in expected.items() if errors}
        if refused:
            assert response.status_code == 200, repr(value[:40])
            shown = errors_shown(response)
            assert "Not saved" in shown, repr(value[:40])
            for errors in refused.values():
                for error in errors:
                    assert error in shown, (repr(value[:40]), error, shown[:300])
            after = newest(proposal)
            assert (after.pk, after.content) == (before.pk, before.content)
            assert_inert(response, repr(value[:40]))
        else:
            assert response.status_code == 302, (repr(value[:40]), errors_shown(response))
            content = newest(proposal).content[step.key]
            for path, (text, _) in expected.items():
                assert stored(content, path) == text, (repr(value[:40]), path)


def test_a_new_proposal_title_is_stored_as_typed_or_refused(login, team, lead):
    client = login(lead)
    url = reverse("proposal-new")
    accepted = []
    for value in [*sample(6), long_string(200), long_string(201)]:
        count = Proposal.objects.count()
        response = client.post(url, {"title": value, "team": team.pk})
        errors = expected_errors(value, 200, strip=True)
        if errors or has_any(value.strip(), {"Cc", "Zl", "Zp"}) or not value.strip():
            assert response.status_code == 200, repr(value)
            assert Proposal.objects.count() == count
            shown = errors_shown(response)
            assert_says(shown, errors, repr(value))
            assert_inert(response, repr(value))
        else:
            assert response.status_code == 302, (repr(value), errors_shown(response))
            proposal = Proposal.objects.latest("pk")
            assert proposal.title == value.strip(), repr(value)
            accepted.append(value.strip())
    titles = set(Proposal.objects.values_list("title", flat=True))
    assert set(accepted) == titles
    assert OURS[0] in titles  # markup is text, not a reason to refuse
    assert "\u202egnp.exe evil-46" in titles
    assert "😀 👩‍👩‍👧‍👦 🏳️‍🌈 evil-48" in titles
    # A title goes into email subjects, where a line break stops the message being sent.
    for value in ["Slot\nBcc: evil@example.com", "Slot\u2028holds", "Slot\x1bholds"]:
        response = client.post(url, {"title": value, "team": team.pk})
        assert "Keep this to one line" in errors_shown(response), repr(value)
    for name in ["dashboard", "proposal-list"]:
        assert_inert(client.get(reverse(name)), name)
    assert_inert(client.get(reverse("proposal-list") + "?q=evil"), "search")


# --- Every page that shows what was typed ----------------------------------------------


def scene_pages(scene):
    launched, killed = scene.launched.pk, scene.killed.pk
    newest_number = newest(scene.launched).number
    pages = [
        reverse("dashboard"),
        reverse("proposal-list"),
        reverse("proposal-list") + "?q=evil",
        reverse("proposal-list") + "?q=script+alert",
        reverse("review-queue"),
        reverse("notifications"),
        reverse("funnel"),
        reverse("team-detail", args=[scene.team.slug]),
        reverse("proposal-history", args=[launched]),
        reverse("proposal-diff", args=[launched]) + f"?a=1&b={newest_number}&all=1",
        reverse("revision-detail", args=[launched, 1]),
        reverse("proposal-contract", args=[launched]),
        scene.round.get_absolute_url(),
        scene.round.get_absolute_url() + "?part=comments",
    ]
    for pk in (launched, killed, scene.withdrawn.pk):
        pages.append(reverse("proposal-memo", args=[pk]))
    for pk in (killed, scene.draft.pk):  # read-only, and open for editing
        pages += [reverse("proposal-step", args=[pk, s.slug]) for s in document.STEPS]
    return pages


def test_every_page_showing_hostile_text_runs_none_of_it(
    login, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.security.seed import seed

    with django_capture_on_commit_callbacks(execute=True):
        scene = seed()
    for user in (scene.lead, scene.member):
        client = login(user)
        for url in scene_pages(scene):
            for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
                response = client.get(url, **headers)
                assert response.status_code == 200, (url, headers)
                assert_inert(response, url)
        memo = client.get(reverse("proposal-memo", args=[scene.launched.pk]))
        assert_shown_as_typed(assert_inert(memo), TEMPLATE_SYNTAX, "memo")

    export = login(scene.lead).get(reverse("revision-export", args=[scene.launched.pk, 1]))
    assert export["Content-Type"] == "text/markdown; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="[-a-z0-9_]*-r1\.md"', export["Content-Disposition"])
    assert OURS[0] in export.content.decode()  # the text as typed, in a file, not a page

    # Emails are plain text, so hostile text is just text there; and every one was sent:
    # no name or title stopped a message (a line break in a subject would).
    kinds = {n.kind for n in Notification.objects.all()}
    assert {"invitation", "round_opened", "decision", "mention"} <= kinds
    assert (
        Notification.objects.exclude(status=NotificationStatus.SENT)
        .filter(held_for_round__isnull=True)
        .count()
        == 0
    )
    assert len(mailoutbox) == Notification.objects.filter(status=NotificationStatus.SENT).count()
    for message in mailoutbox:
        assert message.content_subtype == "plain"
        assert not message.alternatives  # no HTML part for hostile text to run in
    invitation = next(m for m in mailoutbox if m.to == ['"<script>alert(1)</script>"@example.com'])
    assert f"join {scene.team.name} on prfaq" in invitation.body  # as typed, not escaped


# --- Reviews: comments, decisions, kill reasons -------------------------------------------


@pytest.fixture
def review(proposal, lead, member):
    """An open round on a strong document; `member` has finished reading."""
    from reviews import services as review_services
    from tests.review_helpers import write_strong

    write_strong(proposal, lead)
    round_ = review_services.round_open(
        proposal_id=proposal.pk, actor=lead, mode="async",
        due=timezone.now() + timedelta(days=3),
        reviewers=[review_services.ReviewerChoice(member.pk, required=False),
                   review_services.ReviewerChoice(lead_of_other_team().pk, "bar_raiser")],
    )  # fmt: skip
    review_services.reading_start(round_id=round_.pk, user=member)
    review_services.reading_done(round_id=round_.pk, user=member)
    return round_


def lead_of_other_team():
    from tests.factories import MembershipFactory

    return MembershipFactory(role="lead").user


def test_comments_store_hostile_text_as_typed_or_say_why_not(login, review, member, lead):
    from reviews.models import Comment

    url = reverse("comment-create", args=[review.proposal_id, review.number])
    client = login(member)
    for value in [*sample(16, ours=2), long_string(5000), long_string(5001)]:
        count = Comment.objects.count()
        data = {"section": "general", "body": value, "prefix": value[:200], "suffix": value[-200:]}
        response = client.post(url, data)
        assert response.status_code == 302
        errors = expected_errors(value, 5000, strip=True)
        if not value.strip():
            errors.append("This field is required.")
        if errors:
            shown = errors_shown(client.get(response["Location"]))
            assert_says(shown, errors, repr(value[:40]))
            assert Comment.objects.count() == count
        else:
            comment = Comment.objects.latest("pk")
            assert comment.body == value.strip(), repr(value[:40])
            assert (comment.prefix, comment.suffix) == (value[:200], value[-200:])
    assert_inert(client.get(review.get_absolute_url()), "round page")
    # Section and quote come from the page; anything else is refused, not stored.
    for field in ("section", "quote"):
        for value in OURS[:8]:
            data = {"section": "general", "body": "Fine", field: value}
            response = login(member).post(url, data, follow=True)
            assert errors_shown(response), (field, value)
    # The htmx answer (the comments panel) is as inert as the page.
    response = login(lead).post(
        url, {"section": "general", "body": OURS[1]}, HTTP_HX_REQUEST="true"
    )
    assert_inert(response, "htmx comments")
    assert OURS[1] in assert_inert(response).text


def test_decision_notes_store_hostile_text_as_typed_or_say_why_not(login, review, member):
    from reviews.models import Assignment

    url = reverse("decision-record", args=[review.proposal_id, review.number])
    client = login(member)
    for value in [*sample(16, ours=3), long_string(5000), long_string(5001)]:
        data = {"decision": "request_changes", "rationale": value}
        response = client.post(url, data)
        assert response.status_code == 302
        assignment = Assignment.objects.get(round=review, reviewer=member)
        errors = expected_errors(value, 5000, strip=True)
        if not value.strip():
            errors.append("Say why: this note is part of the record.")
        if errors:
            shown = errors_shown(client.get(response["Location"]))
            assert_says(shown, errors, repr(value[:40]))
            assert assignment.rationale != value.strip() or not value.strip()
        else:
            assert assignment.rationale == value.strip(), repr(value[:40])
    assert_inert(client.get(review.get_absolute_url()), "round page")
    response = login(member).post(url, {"decision": "<script>alert('evil')</script>"}, follow=True)
    assert "Choose a decision." in errors_shown(response)


# --- Proposal lifecycle: withdraw note, owner, acknowledging a warning --------------------


def test_a_withdraw_note_is_stored_as_typed_or_refused_before_withdrawing(login, team, lead):
    from prfaq import services
    from prfaq.lifecycle import Status
    from prfaq.models import Event

    client = login(lead)
    for value in [*OURS[-6:], OURS[0], long_string(2000), long_string(2001)]:
        proposal = services.proposal_create(team=team, owner=lead, title="To withdraw")
        response = client.post(reverse("proposal-withdraw", args=[proposal.pk]), {"note": value})
        page = client.get(response["Location"])
        status = Proposal.objects.get(pk=proposal.pk).status
        errors = expected_errors(value, 2000, strip=True)
        if errors:
            # Refused, and said so: the proposal stays as it was, nothing is half done.
            assert status == Status.DRAFTING, repr(value[:40])
            assert_says(errors_shown(page), errors, repr(value[:40]))
        else:
            assert status == Status.WITHDRAWN, repr(value[:40])
            event = Event.objects.filter(proposal=proposal, action="withdraw").get()
            assert event.note == value.strip()
        assert_inert(page, repr(value[:40]))


def test_owner_change_refuses_anything_but_a_member(login, proposal, lead, outsider):
    client = login(lead)
    url = reverse("proposal-owner", args=[proposal.pk])
    for value in [*OURS[:3], "", "0", "-1", "1.5", "9" * 30, str(outsider.pk), "\x00"]:
        page = client.post(url, {"owner": value}, follow=True)
        shown = errors_shown(page)
        assert shown, repr(value)
        if value.isascii() and value.isprintable() and value:
            assert shown == "Choose a member of the team.", (repr(value), shown)
        assert Proposal.objects.get(pk=proposal.pk).owner == lead
        assert_inert(page, repr(value))


def test_a_kept_warnings_reason_is_stored_as_typed_or_refused(login, proposal, lead):
    from prfaq.models import Acknowledgement
    from tests.review_helpers import write_strong

    write_strong(proposal, lead)
    warning = next(f for f in newest(proposal).findings if f["severity"] == "warning")
    client = login(lead)
    url = reverse("finding-acknowledge", args=[proposal.pk])
    step_page = reverse("proposal-step", args=[proposal.pk, "customer"])
    for value in [*sample(24, ours=3), long_string(300), long_string(301)]:
        Acknowledgement.objects.filter(proposal=proposal).delete()
        data = {"key": warning["key"], f"reason-{warning['key']}": value, "next": step_page}
        response = client.post(url, data)
        assert response.status_code == 302
        errors = expected_errors(value, 300, strip=True)
        kept = Acknowledgement.objects.filter(proposal=proposal).first()
        if errors or not value.strip():
            assert kept is None, repr(value[:40])
            shown = errors_shown(client.get(response["Location"]))
            assert_says(shown, errors, repr(value[:40]))
        else:
            assert kept.reason == value.strip(), repr(value[:40])  # not cut short
    memo = client.get(reverse("proposal-memo", args=[proposal.pk]))
    assert_inert(memo, "memo")
    # `next` is where the form was; a link elsewhere is not followed.
    for target in ["javascript:alert('evil')", "//evil.example/", "https://evil.example/"]:
        data = {"key": warning["key"], "reason": "Fine", "next": target}
        assert client.post(url, data)["Location"] == proposal.get_absolute_url()


# --- Teams: ring names, invitations, display names, roles ---------------------------------


def test_ring_names_are_stored_as_typed_or_refused(login, team, lead):
    from reviews.models import Ring

    ring = Ring.objects.get(team=team, position=1)
    client = login(lead)
    url = reverse("ring-update", args=[team.slug, ring.pk])
    settings = {"pass_rule": "all_required", "min_approvals": "1", "reading_minutes": "20"}
    for value in [*sample(16, ours=2), long_string(80), long_string(81)]:
        before = Ring.objects.get(pk=ring.pk).name
        response = client.post(url, {**settings, "name": value})
        ring.refresh_from_db()
        errors = expected_errors(value, 80, strip=True)
        if errors or has_any(value.strip(), {"Cc", "Zl", "Zp"}) or not value.strip():
            assert ring.name == before, repr(value[:40])
            shown = errors_shown(client.get(response["Location"]))
            assert shown.startswith("Name: "), (repr(value[:40]), shown)
            assert_says(shown, errors, repr(value[:40]))
        else:
            assert ring.name == value.strip(), repr(value[:40])
    line_break = client.post(url, {**settings, "name": "Team\nBcc: evil@example.com"})
    shown = errors_shown(client.get(line_break["Location"]))
    assert "Keep this to one line, without control characters." in shown
    # Numbers and the form prefix are checked too.
    prefix = "<script>alert('evil')</script>"
    for garbage in [{"reading_minutes": "<script>"}, {"min_approvals": "9" * 40},
                    {"pass_rule": "evil"}, {"prefix": prefix}]:  # fmt: skip
        response = client.post(url, {**settings, "name": "Team", **garbage})
        assert errors_shown(client.get(response["Location"])), garbage
    assert_inert(client.get(reverse("team-detail", args=[team.slug])), "team page")


def test_invitation_emails_are_validated_and_shown_inert(login, team, lead, hx):
    from accounts.models import Invitation

    client = login(lead)
    url = reverse("team-invite", args=[team.slug])
    for value in [*sample(16, ours=2), f"{'a' * 250}@example.com", "\x00@example.com"]:
        response = client.post(url, {"email": value, "role": "member"}, **hx)
        if response.status_code == 302:
            assert Invitation.objects.filter(email=value.strip().lower()).exists(), repr(value)
            continue
        assert response.status_code == 200, repr(value[:40])
        assert errors_shown(response), repr(value[:40])
        assert_inert(response, repr(value[:40]))
    quoted = "\"<script>alert('evil')</script>\"@example.com"  # a valid address
    assert client.post(url, {"email": quoted, "role": "member"}).status_code == 302
    page = client.get(reverse("team-detail", args=[team.slug]), **hx)
    assert quoted in assert_inert(page).text
    role = client.post(url, {"email": "x@example.com", "role": "<script>"}, **hx)
    assert "Select a valid choice." in errors_shown(role)


def test_display_names_are_stored_as_typed_or_refused(client, team, lead):
    from accounts import services
    from accounts.models import User

    for i, value in enumerate([*sample(16, ours=2), long_string(80), long_string(81)]):
        invitation = services.invitation_create(
            team=team, email=f"new{i}@example.com", role="member", invited_by=lead
        )
        url = reverse("invitation-accept", args=[invitation.token])
        password = "sturdy-pass-9"
        data = {"display_name": value, "password1": password, "password2": password}
        response = client.post(url, data)
        user = User.objects.filter(email=f"new{i}@example.com").first()
        errors = expected_errors(value, 80, strip=True)
        # One line, no bidirectional override; joiners and soft hyphens are real names.
        controls = has_any(value.strip(), {"Cc", "Zl", "Zp"}) or any(
            c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" for c in value
        )
        if errors or not value.strip() or controls:
            assert user is None, repr(value[:40])
            assert response.status_code == 200
            shown = errors_shown(response)
            assert_says(shown, errors, repr(value[:40]))
            assert_inert(response, repr(value[:40]))
        else:
            assert response.status_code == 302, (repr(value[:40]), errors_shown(response))
            assert user.display_name == value.strip(), repr(value[:40])
            client.logout()
    line_break = services.invitation_create(
        team=team, email="lb@example.com", role="member", invited_by=lead
    )
    data = {"display_name": "Ana\u2028Bcc: x", "password1": "sturdy-pass-9",
            "password2": "sturdy-pass-9"}  # fmt: skip
    response = client.post(reverse("invitation-accept", args=[line_break.token]), data)
    assert "Keep this to one line" in errors_shown(response)
    page = Client()
    page.force_login(lead)
    assert_inert(page.get(reverse("team-detail", args=[team.slug])), "team page")


def test_a_role_that_is_not_member_or_lead_is_refused(login, team, lead, member):
    from accounts.models import Membership

    membership = Membership.objects.get(team=team, user=member)
    url = reverse("membership-role", args=[team.slug, membership.pk])
    for value in ["owner", "LEAD", "<script>", "", "\x00", "lead\n"]:
        page = login(lead).post(url, {"role": value}, follow=True)
        assert "Choose member or lead." in errors_shown(page), repr(value)
        assert Membership.objects.get(pk=membership.pk).role == "member"


# --- The contract: launch dates, readings, the outcome -----------------------------------


def test_contract_inputs_store_hostile_text_as_typed_or_say_why_not(login, proposal, lead, member):
    from prfaq.lifecycle import Status
    from prfaq.models import Metric, MetricReading
    from tests.factories import MembershipFactory, TeamFactory
    from tests.review_helpers import approve, write_strong

    write_strong(proposal, lead)
    approve(proposal, lead, member, MembershipFactory(team=TeamFactory()).user)
    client = login(lead)
    contract = reverse("proposal-contract", args=[proposal.pk])

    launch = reverse("proposal-launch", args=[proposal.pk])
    for value in ["<script>", "2026-02-30", "99999-01-01", "0000-00-00", "\x00", "", "1" * 50]:
        response = client.post(launch, {"launched_on": value, "review_on": value})
        assert "Enter both dates as YYYY-MM-DD." in errors_shown(client.get(response["Location"]))
        assert Proposal.objects.get(pk=proposal.pk).status == Status.APPROVED
    today = timezone.localdate()
    client.post(launch, {"launched_on": today - timedelta(days=40), "review_on": today})

    metric = Metric.objects.filter(proposal=proposal).first()
    url = reverse("metric-reading", args=[proposal.pk, metric.pk])
    for value in [*sample(24, ours=3), long_string(300), long_string(301)]:
        count = MetricReading.objects.count()
        data = {"date": today, "value": "4.5", "note": value}
        response = client.post(url, data)
        errors = expected_errors(value, 300, strip=True)
        if errors:
            shown = errors_shown(client.get(response["Location"]))
            assert_says(shown, errors, repr(value[:40]))
            assert MetricReading.objects.count() == count
        else:
            assert MetricReading.objects.latest("pk").note == value.strip(), repr(value[:40])
    for garbage in [{"value": "<script>"}, {"value": "NaN"}, {"value": "1e999999"},
                    {"value": "9" * 40}, {"date": "evil"}, {"date": "9999-12-31"}]:  # fmt: skip
        count = MetricReading.objects.count()
        response = client.post(url, {"date": today, "value": "1", **garbage})
        assert errors_shown(client.get(response["Location"])), garbage
        assert MetricReading.objects.count() == count, garbage
    assert_inert(client.get(contract), "contract")

    outcome = reverse("proposal-outcome", args=[proposal.pk])
    refused = ["", "   ", "\x00", long_string(5001)]
    for value in refused:
        response = client.post(outcome, {"verdict": "yes", "evidence": value})
        assert errors_shown(client.get(response["Location"])), repr(value[:40])
        assert Proposal.objects.get(pk=proposal.pk).status == Status.LAUNCHED
    response = client.post(outcome, {"verdict": "<script>", "evidence": "Readings"})
    assert errors_shown(client.get(response["Location"]))
    client.post(outcome, {"verdict": "partly", "evidence": OURS[0]})
    measured = Proposal.objects.get(pk=proposal.pk)
    assert (measured.status, measured.outcome_evidence) == (Status.MEASURED, OURS[0])
    page = client.get(contract)
    assert OURS[0] in assert_inert(page, "contract").text


# --- Opening a round, previews, signing in --------------------------------------------------


def test_opening_a_round_refuses_garbage_with_a_reason(login, proposal, lead, member):
    from reviews.models import Round
    from tests.review_helpers import write_strong

    write_strong(proposal, lead)
    client = login(lead)
    url = reverse("round-new", args=[proposal.pk])
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    good = {"mode": "async", "due": due, f"role-{member.pk}": "reviewer",
            f"required-{member.pk}": "on"}  # fmt: skip
    for garbage in [{"due": "<script>"}, {"due": "\x00"}, {"due": "2026-13-45"},
                    {"due": "99999-01-01"}, {"mode": "evil"}, {f"role-{member.pk}": "evil"},
                    {f"role-{member.pk}": "\x00"}, {f"role-{member.pk}": ""}]:  # fmt: skip
        response = client.post(url, {**good, **garbage})
        assert response.status_code == 200, garbage
        assert errors_shown(response), garbage
        assert_inert(response, str(garbage))
        assert not Round.objects.filter(proposal=proposal).exists()
    # Unknown people among the reviewers are not reviewers.
    assert client.post(url, {**good, "role-999999999": "reviewer"}).status_code == 302


def test_the_markdown_preview_shows_any_text_inert(login, proposal, lead):
    client = login(lead)
    url = reverse("markdown-preview", args=[proposal.pk])
    for value in [*sample(4), long_string(document.LONG_MAX + 10)]:
        response = client.post(url, {"field": "summary", "summary": value}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert_inert(response, repr(value[:40]))
    for field in ["<script>", "\x00", "csrfmiddlewaretoken", "x" * 5000]:
        assert client.post(url, {"field": field}).status_code == 200


def test_sign_in_and_password_reset_refuse_hostile_text_clearly(client, mailoutbox):
    for value in [*OURS[:4], OURS[-6], "\u202e@example.com", "a@b", long_string(300)]:
        response = client.post(reverse("login"), {"username": value, "password": value})
        assert response.status_code == 200, repr(value[:40])
        assert errors_shown(response), repr(value[:40])
        assert_inert(response, repr(value[:40]))
        response = client.post(reverse("password_reset"), {"email": value})
        assert response.status_code == 200, repr(value[:40])
        assert errors_shown(response), repr(value[:40])
        assert_inert(response, repr(value[:40]))
    assert mailoutbox == []
    # Where to go after signing in is ours to choose, never a script or another site.
    for target in ["javascript:alert('evil')", "//evil.example/", "https://evil.example/"]:
        page = client.get(reverse("login") + "?next=" + target)
        assert_inert(page, target)


def test_marking_a_notification_read_takes_any_id_without_failing(login, lead, proposal):
    from prfaq.models import Notification

    services_notify(lead)
    client = login(lead)
    unread = Notification.objects.filter(user=lead, read__isnull=True)
    first = unread.order_by("pk").first()
    client.post(reverse("notifications"), {"id": first.key})
    assert unread.count() == 1
    # Anything that is no notification's key marks nothing, and fails nothing.
    for value in ["²", "١٢", "9" * 40, "<script>", "\x00", "-1", str(first.pk + 1)]:
        response = client.post(reverse("notifications"), {"id": value})
        assert response.status_code == 302, repr(value)
    assert unread.count() == 1
    client.post(reverse("notifications"))  # the "Mark all read" button sends no id
    assert unread.count() == 0
    assert_inert(client.get(reverse("notifications")), "notifications")


def services_notify(user):
    from prfaq import services

    for subject in ["<script>alert('evil')</script>", "\u202eevil-rtl"]:
        services.notification_enqueue(
            kind="mention", to_email=user.email, subject=subject, body=subject, user_id=user.pk,
            url="/",
        )  # fmt: skip


# --- Importing a PR/FAQ made of hostile text ---------------------------------------------


def hostile_document(values: list[str]) -> str:
    """Every value as a paragraph, a heading, a question, an answer and a metric line,
    under the sections an import recognises."""
    values = [v for v in values if v.strip()]
    parts = ["# Press release", f"## {OURS[0]}", "SEATTLE — May 1, 2026 — evil-dateline."]
    parts += values
    parts += ["## Customer FAQ"] + [f"Q: {v}?\nA: {v}" for v in values[::3]]
    parts += ["## Internal FAQ"] + [f"### {v}?\n\n{v}" for v in values[1::3]]
    parts += ["## Success metrics"] + [f"- {v}: from 1 to 2 by 2027-01-31" for v in values[2::3]]
    parts += [f"## {v}\n\n{v}" for v in values[::5]]
    return "\n\n".join(parts) + "\n"


def test_an_imported_document_of_hostile_text_is_previewed_and_created_inert(login, team, lead):
    client = login(lead)
    url = reverse("proposal-import")
    values = [v for v in sample(4) if storable(v)]
    source = hostile_document(values)
    response = client.post(url, {"text": source, "team": team.pk})
    assert response.status_code == 200
    assert_inert(response, "import preview")
    assert Proposal.objects.count() == 0  # a preview saves nothing
    detected = {f"put-{b.index}": b.target for b in importing.read(source).blocks}
    data = {"source": source, "title": "Hostile import", "team": team.pk, **detected}
    response = client.post(url, {**data, "action": "create"})
    assert response.status_code == 302, errors_shown(response)
    proposal = Proposal.objects.get()
    content = newest(proposal).content
    assert OURS[0] in str(content) or OURS[0] in proposal.unplaced_text  # kept as typed
    pages = [reverse("proposal-memo", args=[proposal.pk])]
    pages += [reverse("proposal-step", args=[proposal.pk, s.slug]) for s in document.STEPS]
    for page in pages:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            page_response = client.get(page, **headers)
            assert page_response.status_code == 200, page
            assert_inert(page_response, page)


def test_an_import_with_a_null_character_is_refused_with_a_reason(login, team, lead):
    client = login(lead)
    url = reverse("proposal-import")
    for value in [v for v in sample(4) if not storable(v)]:
        response = client.post(url, {"text": f"# Press release\n\n{value}\n", "team": team.pk})
        assert response.status_code == 200
        assert errors_shown(response), repr(value)
        response = client.post(url, {"source": f"{value}\n", "title": "T", "team": team.pk})
        assert response.status_code == 200
        assert errors_shown(response), repr(value)
    assert Proposal.objects.count() == 0

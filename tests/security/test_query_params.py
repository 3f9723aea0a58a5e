"""Malformed ids and query parameters get a 404 or a form error, never a 500.

The test client re-raises a server error, so every request here that answered at all
answered on purpose. Every view that reads request.GET is walked, and every route
with an id is asked for ids no database row has.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import get_resolver, reverse

from prfaq.models import Proposal
from tests.security.corpus import OURS, assert_inert, errors_shown, long_string

pytestmark = pytest.mark.django_db

GARBAGE = [
    "abc", "-1", "0", "1.5", "1e3", "0x10", "²", "١", " 1", "1 ", "%00", "\x00", "9" * 30,
    str(2**63), str(2**31), "999999", long_string(10_000), "<script>alert('evil')</script>",
    "'; DROP TABLE prfaq_proposal; --", "\u202eevil", "😀", "[]", "{}", "null", "true",
]  # fmt: skip
HEADERS = [{}, {"HTTP_HX_REQUEST": "true"}]  # every page as a page and as an htmx fragment


@pytest.fixture
def scene():
    from tests.security.seed import seed

    return seed(OURS[:6])


@pytest.mark.parametrize("hx", HEADERS, ids=["plain", "htmx"])
def test_the_proposal_list_filters_refuse_garbage_with_a_reason(login, scene, hx):
    client = login(scene.lead)
    url = reverse("proposal-list")
    titles = [scene.launched.title, scene.killed.title, scene.withdrawn.title]
    for value in GARBAGE:
        for name in ("page", "q", "team", "status", "mine"):
            response = client.get(url, {name: value}, **hx)
            assert response.status_code == 200, (name, repr(value[:40]))
            assert_inert(response, (name, value[:40]))
    # A filter that does not parse is named on the page and left out; the rest still apply.
    response = client.get(url, {"q": "x" * 10_000, "status": "killed"}, **hx)
    assert "Search: Ensure this value has at most 200 characters" in errors_shown(response)
    page = response.content.decode()
    assert scene.killed.get_absolute_url() in page
    assert scene.launched.get_absolute_url() not in page
    response = client.get(url, {"status": "<script>alert('evil')</script>"}, **hx)
    assert "Status: Select a valid choice." in errors_shown(response)
    response = client.get(url, {"team": "<b>"}, **hx)
    assert errors_shown(response).startswith("Team: ")
    # A well-formed slug of no team of yours finds nothing, without an error.
    response = client.get(url, {"team": "someone-elses"}, **hx)
    assert errors_shown(response) == ""
    assert "No proposals match these filters." in response.content.decode()
    # Pages beyond the last, or not numbers, show the nearest real page.
    for page_number in ["999999", "abc", "-1", "0", "9" * 400]:
        text = assert_inert(client.get(url, {"page": page_number}, **hx)).text
        assert all(title in text for title in titles), page_number


def test_diff_contract_funnel_and_round_parameters_give_404_or_a_default(login, scene):
    client = login(scene.lead)
    diff = reverse("proposal-diff", args=[scene.launched.pk])
    contract = reverse("proposal-contract", args=[scene.launched.pk])
    newest = Proposal.objects.get(pk=scene.launched.pk).current_revision.number
    for value in GARBAGE:
        for hx in HEADERS:
            for params in ({"a": value, "b": newest}, {"a": "1", "b": value}):
                response = client.get(diff, params, **hx)
                assert response.status_code in (200, 404), (params, response.status_code)
            response = client.get(diff, {"a": "1", "b": newest, "all": value}, **hx)
            assert response.status_code == 200
            assert_inert(response, value[:40])

            response = client.get(contract, {"v": value}, **hx)
            assert response.status_code == 200, repr(value[:40])
            assert "Version 1" in response.content.decode()  # the latest, not an error
            assert_inert(response, value[:40])

            for params in ({"team": value}, {"start": value}, {"end": value}):
                response = client.get(reverse("funnel"), params, **hx)
                assert response.status_code == 200, (params, response.status_code)
                assert_inert(response, str(params)[:60])

            response = client.get(scene.round.get_absolute_url(), {"part": value}, **hx)
            assert response.status_code == 200
    assert client.get(diff, {"a": "1", "b": "999999"}).status_code == 404
    assert client.get(diff, {"a": "abc", "b": "1"}).status_code == 404
    assert client.get(diff, {}).status_code == 404
    # "from/to" are not our names: the page asks for two revisions instead of guessing.
    assert client.get(diff, {"from": "x", "to": "y"}).status_code == 404
    response = client.get(reverse("funnel"), {"start": "2026-02-30", "end": "0001-01-01"})
    assert "Enter a valid date." in errors_shown(response)


def test_every_route_with_an_id_answers_404_for_ids_that_cannot_exist(login, scene):
    """Each part of each route's URL in turn made impossible, the others real."""
    from accounts.models import Membership
    from prfaq.models import Metric
    from reviews.models import Comment, Ring

    client = login(scene.lead)
    invitation = scene.team.invitations.get()
    real = {
        "slug": scene.team.slug,
        "proposal_id": scene.launched.pk,
        "number": scene.round.number,
        "membership_id": Membership.objects.get(team=scene.team, user=scene.member).pk,
        "invitation_id": invitation.pk,
        "ring_id": Ring.objects.filter(team=scene.team).first().pk,
        "comment_key": Comment.objects.filter(round=scene.round).first().key,
        "metric_id": Metric.objects.filter(proposal=scene.launched).first().pk,
        "step_slug": "customer",
        "action": "close",
        "token": invitation.token,
    }
    bad = {
        "int": ["0", str(2**31), str(2**63), "9" * 30, "-1", "1.0"],
        "str": ["evil", "<script>", "..", "a" * 300, "\u202e", "😀", "\x00", "%00"],
    }
    routes = [p for p in get_resolver().url_patterns if getattr(p, "name", None)]
    checked = 0
    for route in [r for r in routes if r.pattern.converters]:
        names = list(route.pattern.converters)
        sentinels = {name: str(987654321 + i) for i, name in enumerate(names)}
        template = reverse(route.name, kwargs=sentinels)
        for name in names:
            kind = "int" if route.pattern.converters[name].regex == "[0-9]+" else "str"
            for value in bad[kind]:
                url = template
                for other in names:
                    part = value if other == name else str(real[other])
                    url = url.replace(sentinels[other], quote(part, safe=""))
                for method in (client.get, client.post):
                    status = method(url).status_code
                    assert status in (404, 405, 410), (route.name, name, repr(value), status)
                    checked += 1
    assert checked > 300


def test_step_editor_actions_refuse_garbage_with_a_reason(login, proposal, lead):
    from prfaq import document
    from prfaq.models import Proposal

    client = login(lead)
    url = reverse("proposal-step", args=[proposal.pk, "faq"])
    for value in ["suggest:external:²", "suggest:external:١", "suggest:external:" + "9" * 5000,
                  "suggest:external:-1", "suggest:external: 1", "suggest:evil:1",
                  "suggest:external", "add_faq:<script>", "remove_faq:\x00", "up:" + "x" * 500,
                  "evil", "", ":::", "\u202e"]:  # fmt: skip
        current = Proposal.objects.get(pk=proposal.pk).current_revision
        data = {"action": value, "step_hash": document.step_hash(current.content, "faq")}
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, repr(value[:40])
        assert_inert(response, repr(value[:40]))
        page = client.post(url, data, follow=True)
        assert_inert(page, repr(value[:40]))
        if value.startswith("suggest:external:"):
            assert "That suggested question does not exist." in errors_shown(page), value[:40]


NEXT_VALUES = [
    "undefined", "null", "1", "proposal-list", "//evil.example/", "https://evil.example/",
    "javascript:alert(1)", "/\\evil.example", " /x", "\x00", long_string(5000), "",
]  # fmt: skip


@pytest.mark.parametrize("hx", HEADERS, ids=["plain", "htmx"])
def test_a_next_that_is_not_a_path_on_this_site_falls_back_and_never_fails(
    login, proposal, lead, hx
):
    """`next` went to redirect(), which reads a bare word as a view name: a 500 after
    the change was committed. Only a path on this site is followed now."""
    client = login(lead)
    memo = reverse("proposal-memo", args=[proposal.pk])
    history = reverse("proposal-history", args=[proposal.pk])
    for name in ["proposal-unplaced-clear", "finding-acknowledge"]:
        url = reverse(name, args=[proposal.pk])
        for value in NEXT_VALUES:
            data = {"next": value, "key": "x", "reason": "Because."}
            response = client.post(url, data, **hx)
            where = response.get("HX-Redirect") or response["Location"]
            assert response.status_code in (200, 302), (name, value)
            assert where == memo, (name, value, where)
        response = client.post(url, {"next": history, "key": "x", "reason": "Because."}, **hx)
        assert (response.get("HX-Redirect") or response["Location"]) == history

"""Every URL that takes an object id, requested by everyone who should and should not
reach it. The routes come from the URL configuration itself, so a new route without
rules here fails the test."""

from datetime import date

import pytest
from django.urls import get_resolver, reverse

from accounts.models import Invitation, Membership
from prfaq import services
from prfaq.models import Metric
from reviews import services as review_services
from reviews.models import ReviewerRole, Ring
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.review_helpers import approve, run_round, write_strong

pytestmark = pytest.mark.django_db

# route -> (method, who besides the right user gets in: "member" = any team member)
RULES = {
    "team-detail": ("GET", "member"),
    "team-invite": ("POST", "lead"),
    "membership-role": ("POST", "lead"),
    "membership-remove": ("POST", "lead"),
    "invitation-revoke": ("POST", "lead"),
    "ring-update": ("POST", "lead"),
    "proposal-memo": ("GET", "member"),
    "proposal-step": ("GET", "member"),
    "markdown-preview": ("POST", "member"),
    "proposal-history": ("GET", "member"),
    "proposal-diff": ("GET", "member"),
    "revision-detail": ("GET", "member"),
    "revision-export": ("GET", "member"),
    "revision-restore": ("POST", "member"),
    "proposal-owner": ("POST", "owner"),
    "proposal-submit": ("POST", "owner"),
    "finding-acknowledge": ("POST", "member"),
    "proposal-withdraw": ("POST", "owner"),
    "proposal-unplaced-clear": ("POST", "member"),
    "proposal-contract": ("GET", "member"),
    "proposal-launch": ("POST", "owner"),
    "proposal-outcome": ("POST", "owner"),
    "metric-reading": ("POST", "member"),
    "round-new": ("GET", "owner"),
    "round-detail": ("GET", "member"),
    "reading-start": ("POST", "reviewer"),
    "reading-done": ("POST", "reviewer"),
    "comment-create": ("POST", "member"),
    "comment-resolve": ("POST", "member"),
    "decision-record": ("POST", "reviewer"),
    "round-action": ("POST", "owner"),
}
PUBLIC = {"invitation-accept"}  # the token is the credential; tested in test_invitations


@pytest.fixture
def scene(team, lead, member):
    """lead owns an approved, launched proposal and another in an open round."""
    plain = MembershipFactory(team=team, user=UserFactory(display_name="Plain")).user
    leader = MembershipFactory(team=TeamFactory(), user=UserFactory(display_name="Lee")).user
    done = services.proposal_create(team=team, owner=lead, title="Done")
    write_strong(done, lead)
    approve(done, lead, member, leader)
    services.proposal_launch(
        proposal_id=done.pk, actor=lead, launched_on=date(2026, 1, 1), review_on=date(2026, 6, 1)
    )
    live = services.proposal_create(team=team, owner=lead, title="Live")
    write_strong(live, lead)
    round_ = run_round(live, lead, [(member, ReviewerRole.REVIEWER, "", "")])
    comment = review_services.comment_create(
        round_id=round_.pk, author=lead, section="general", body="hi"
    )
    invitation = services_invite(team, lead)
    kwargs = {
        "slug": team.slug,
        "membership_id": Membership.objects.get(team=team, user=plain).pk,
        "invitation_id": invitation.pk,
        "ring_id": Ring.objects.filter(team=team).first().pk,
        "proposal_id": live.pk,
        "step_slug": "customer",
        "number": round_.number,
        "comment_key": comment.key,
        "action": "close",
        "metric_id": Metric.objects.filter(proposal=done).first().pk,
    }
    contract_routes = {"proposal-contract", "proposal-launch", "proposal-outcome", "metric-reading"}
    return {
        "kwargs": kwargs,
        "done": done,
        "live": live,
        "plain": plain,
        "contract_routes": contract_routes,
    }


def services_invite(team, lead):
    from accounts import services as account_services

    account_services.invitation_create(
        team=team, email="new@example.com", role="member", invited_by=lead
    )
    return Invitation.objects.get()


def routes():
    return [
        p for p in get_resolver().url_patterns if getattr(p, "name", None) and p.pattern.converters
    ]


def test_every_route_with_an_id_has_access_rules():
    names = {p.name for p in routes()}
    assert names - PUBLIC == set(RULES), "add access rules for new routes"


@pytest.mark.parametrize("name", sorted(RULES))
def test_anonymous_outsider_and_member_get_the_right_answer(
    client, login, scene, outsider, member, name
):
    method, allowed = RULES[name]
    params = {}
    pattern = next(p for p in routes() if p.name == name)
    for key in pattern.pattern.converters:
        params[key] = scene["kwargs"][key]
    if name in scene["contract_routes"]:
        params["proposal_id"] = scene["done"].pk
    if name in {"revision-detail", "revision-export", "revision-restore"}:
        params["number"] = 1
    url = reverse(name, kwargs=params)
    if name == "proposal-diff":
        url += "?a=1&b=1"

    def call(c):
        return c.get(url) if method == "GET" else c.post(url, {})

    anonymous = call(client)
    assert anonymous.status_code == 302, name
    assert "/accounts/login/" in anonymous["Location"], name
    assert call(login(outsider)).status_code == 404, name
    plain = call(login(scene["plain"])).status_code
    if allowed == "member":
        assert plain in (200, 302), (name, plain)
    else:
        assert plain in (403, 404), (name, plain)
    if method == "POST":
        assert login(scene["plain"]).get(url).status_code in (404, 405), name


# Routes without ids, for the GET and CSRF sweeps below.
PLAIN_GET = [
    "dashboard",
    "proposal-list",
    "proposal-new",
    "proposal-import",
    "review-queue",
    "notifications",
    "funnel",
]
PLAIN_POST = ["proposal-new", "proposal-import", "logout"]
# Rows that a request may write without anything a user did changing: the session and
# django-axes' own bookkeeping.
UNTRACKED = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def database_state() -> dict[str, list[dict]]:
    from django.apps import apps

    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.label_lower not in UNTRACKED
    }


def route_url(scene, name: str) -> str:
    if name in PLAIN_GET or name in PLAIN_POST:
        return reverse(name)
    pattern = next(p for p in routes() if p.name == name)
    params = {key: scene["kwargs"][key] for key in pattern.pattern.converters}
    if name in scene["contract_routes"]:
        params["proposal_id"] = scene["done"].pk
    if name in {"revision-detail", "revision-export", "revision-restore"}:
        params["number"] = 1
    url = reverse(name, kwargs=params)
    return url + "?a=1&b=1" if name == "proposal-diff" else url


def right_user(name: str, lead, member):
    allowed = RULES.get(name, ("", "member"))[1]
    return member if allowed in {"member", "reviewer"} else lead


GET_ROUTES = sorted(PLAIN_GET + [name for name, (method, _) in RULES.items() if method == "GET"])
POST_ROUTES = sorted(PLAIN_POST + [name for name, (method, _) in RULES.items() if method == "POST"])


@pytest.mark.parametrize("name", GET_ROUTES)
def test_a_get_changes_nothing(login, scene, lead, member, name):
    """Reading a page, as the person allowed to act there, writes no row."""
    client = login(right_user(name, lead, member))
    before = database_state()
    response = client.get(route_url(scene, name))
    assert response.status_code == 200, (name, response.status_code)
    assert database_state() == before, f"GET {name} changed the database"


@pytest.mark.parametrize("name", POST_ROUTES)
def test_a_post_without_the_csrf_token_is_refused(scene, lead, member, name):
    """Every change needs the CSRF token, even from a signed-in user allowed to make it."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(right_user(name, lead, member))
    before = database_state()
    response = client.post(route_url(scene, name), {"title": "Forged", "body": "forged"})
    assert response.status_code == 403, (name, response.status_code)
    assert database_state() == before, f"POST {name} without a token changed the database"

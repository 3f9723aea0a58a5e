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
        "comment_id": comment.pk,
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

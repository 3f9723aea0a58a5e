import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from tests.factories import MembershipFactory
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db


def team_url(team):
    return reverse("team-detail", args=[team.slug])


def test_member_sees_members_and_roles_but_no_lead_controls(login, team, lead, member, hx):
    response = login(member).get(team_url(team), **hx)
    assert response.status_code == 200
    body = response.content.decode()
    assert lead.display_name in body
    assert member.display_name in body
    assert "Invite someone" not in body
    assert f"/teams/{team.slug}/members/" not in body  # no role or remove forms


def test_lead_sees_invite_form_and_role_controls(login, team, lead, member, hx):
    body = login(lead).get(team_url(team), **hx).content.decode()
    assert "Invite someone" in body
    membership = Membership.objects.get(team=team, user=member)
    assert reverse("membership-role", args=[team.slug, membership.pk]) in body


@pytest.mark.parametrize("slug", ["team-that-does-not-exist", "checkout"])
def test_non_member_gets_404_for_existing_and_missing_teams_alike(login, outsider, team, slug, hx):
    response = login(outsider).get(reverse("team-detail", args=[slug]), **hx)
    assert response.status_code == 404
    assert b"Nothing here" in response.content


def test_malformed_slug_is_404(login, member):
    assert login(member).get("/teams/%3Cscript%3E/").status_code == 404


def test_team_page_queries_do_not_grow_with_members(login, team, lead):
    for _ in range(3):
        MembershipFactory(team=team)
    client = login(lead)

    def grow():
        for _ in range(20):
            MembershipFactory(team=team)

    assert_constant_queries(client, team_url(team), grow)


def test_dashboard_lists_my_teams_with_constant_queries(login, team, lead, member, hx):
    MembershipFactory(team=team)
    client = login(lead)
    response = client.get(reverse("dashboard"), **hx)
    assert team.name.encode() in response.content
    assert b"3 members \xc2\xb7 you are a lead" in response.content
    assert (
        "1 member · you are a member"
        in login(MembershipFactory(team__name="Solo").user)
        .get(reverse("dashboard"))
        .content.decode()
    )

    def grow():
        for _ in range(10):
            MembershipFactory(user=lead, team__name="More", role=Role.MEMBER)

    assert_constant_queries(client, reverse("dashboard"), grow)


def test_lead_changes_a_role(login, team, lead, member, hx):
    membership = Membership.objects.get(team=team, user=member)
    url = reverse("membership-role", args=[team.slug, membership.pk])
    response = login(lead).post(url, {"role": Role.LEAD}, **hx)
    membership.refresh_from_db()
    assert membership.role == Role.LEAD
    if hx:
        assert response.status_code == 200
        assert b"is now a lead" in response.content
        assert b'hx-swap-oob="true"' in response.content
    else:
        assert response.status_code == 302


def test_member_cannot_change_roles_or_remove(login, team, lead, member):
    lead_membership = Membership.objects.get(team=team, user=lead)
    client = login(member)
    for name, data in [("membership-role", {"role": Role.MEMBER}), ("membership-remove", {})]:
        response = client.post(reverse(name, args=[team.slug, lead_membership.pk]), data)
        assert response.status_code == 403
    lead_membership.refresh_from_db()
    assert lead_membership.role == Role.LEAD


def test_outsider_cannot_touch_another_teams_memberships(login, team, lead, outsider):
    lead_membership = Membership.objects.get(team=team, user=lead)
    client = login(outsider)
    response = client.post(reverse("membership-remove", args=[team.slug, lead_membership.pk]), {})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=lead_membership.pk).exists()


def test_lead_of_one_team_cannot_use_its_slug_to_reach_another_teams_member(login, lead, outsider):
    other_membership = Membership.objects.get(user=outsider)
    response = login(lead).post(
        reverse("membership-remove", args=["checkout", other_membership.pk]), {}
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=other_membership.pk).exists()


def test_invalid_role_is_refused(login, team, lead, member):
    membership = Membership.objects.get(team=team, user=member)
    url = reverse("membership-role", args=[team.slug, membership.pk])
    response = login(lead).post(url, {"role": "owner"}, follow=True)
    assert b"Choose member or lead." in response.content
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_last_lead_can_be_neither_demoted_nor_removed(login, team, lead, member, hx):
    lead_membership = Membership.objects.get(team=team, user=lead)
    client = login(lead)
    demote = client.post(
        reverse("membership-role", args=[team.slug, lead_membership.pk]),
        {"role": Role.MEMBER},
        follow=not hx,
        **hx,
    )
    assert b"is the last lead" in demote.content
    remove = client.post(
        reverse("membership-remove", args=[team.slug, lead_membership.pk]),
        follow=not hx,
        **hx,
    )
    assert b"is the last lead" in remove.content
    lead_membership.refresh_from_db()
    assert lead_membership.role == Role.LEAD

    # With a second lead, the first may step down.
    member_membership = Membership.objects.get(team=team, user=member)
    client.post(
        reverse("membership-role", args=[team.slug, member_membership.pk]), {"role": Role.LEAD}
    )
    response = client.post(
        reverse("membership-role", args=[team.slug, lead_membership.pk]), {"role": Role.MEMBER}
    )
    assert response.status_code == 302
    lead_membership.refresh_from_db()
    assert lead_membership.role == Role.MEMBER


def test_lead_removes_a_member(login, team, lead, member, hx):
    membership = Membership.objects.get(team=team, user=member)
    response = login(lead).post(reverse("membership-remove", args=[team.slug, membership.pk]), **hx)
    assert response.status_code in (200, 302)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert login(member).get(team_url(team)).status_code == 404


def test_state_changes_refuse_get(login, team, lead, member):
    membership = Membership.objects.get(team=team, user=member)
    client = login(lead)
    for name in ["membership-role", "membership-remove"]:
        assert client.get(reverse(name, args=[team.slug, membership.pk])).status_code == 405
    assert client.get(reverse("team-invite", args=[team.slug])).status_code == 405


def test_team_page_title_is_just_the_team_name(login, team, lead):
    body = login(lead).get(team_url(team)).content.decode()
    title = body.split("<title>")[1].split("</title>")[0]
    assert title.strip() == f"{team.name} · prfaq"
    assert body.count("Review rings") == 1

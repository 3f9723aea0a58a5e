import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.lifecycle import InvitationStatus
from accounts.models import Invitation, Membership, Role
from tests.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Post the invitation form and run what the view scheduled after commit (the email)."""

    def _invite(client, team, email, role=Role.MEMBER, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("team-invite", args=[team.slug]), {"email": email, "role": role}, **headers
            )

    return _invite


def link_from(message) -> str:
    return re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body).group(1)


def test_lead_invites_and_newcomer_signs_up_and_joins(
    client, login, team, lead, mailoutbox, invite
):
    response = invite(login(lead), team, "New.Person@Example.com")
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new.person@example.com"]
    assert team.name in message.subject
    link = link_from(message)

    page = client.get(link)
    assert page.status_code == 200
    assert b"Create your account to join" in page.content

    weak = client.post(link, {"display_name": "Nia", "password1": "123", "password2": "123"})
    assert weak.status_code == 200
    assert not Membership.objects.filter(team=team, user__email="new.person@example.com").exists()

    good = {"display_name": "Nia Adams", "password1": "sturdy-pass-9", "password2": "sturdy-pass-9"}
    response = client.post(link, good)
    assert response.status_code == 302
    assert response["Location"] == team.get_absolute_url()
    membership = Membership.objects.get(team=team, user__email="new.person@example.com")
    assert membership.role == Role.MEMBER
    assert membership.user.display_name == "Nia Adams"
    assert client.get(team.get_absolute_url()).status_code == 200  # signed in

    # The same link again: already used, clearly said, nothing changes.
    again = client.post(link, good)
    assert again.status_code == 410
    assert b"already used" in again.content


def test_existing_user_signs_in_then_accepts(client, login, team, lead, mailoutbox, invite):
    person = UserFactory(email="existing@example.com")
    invite(login(lead), team, "existing@example.com", role=Role.LEAD)
    link = link_from(mailoutbox[0])

    anonymous = client.get(link)
    assert b"Sign in to accept" in anonymous.content

    signed_in = login(person)
    assert b"Join Checkout" in signed_in.get(link).content
    response = signed_in.post(link)
    assert response.status_code == 302
    assert Membership.objects.get(team=team, user=person).role == Role.LEAD


def test_signed_in_as_someone_else_cannot_accept(login, team, lead, outsider, mailoutbox, invite):
    invite(login(lead), team, "someone@example.com")
    link = link_from(mailoutbox[0])
    response = login(outsider).post(link)
    assert response.status_code == 403
    assert b"this invitation is for someone@example.com" in response.content
    assert not Membership.objects.filter(team=team, user=outsider).exists()
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_expired_invitation_gets_a_clear_page(client, team):
    invitation = InvitationFactory(team=team, expires=timezone.now() - timezone.timedelta(hours=1))
    url = reverse("invitation-accept", args=[invitation.token])
    for response in [client.get(url), client.post(url, {"display_name": "X"})]:
        assert response.status_code == 410
        assert b"This invitation has expired" in response.content
    assert not Membership.objects.filter(team=team).exists()


@pytest.mark.parametrize(
    "token",
    ["forged-token", "a" * 43, "x" * 500, "%00", "' OR 1=1 --", "..%2F..%2Fetc"],
)
def test_forged_or_malformed_tokens_get_a_clear_404(client, team, token):
    InvitationFactory(team=team)
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 404
    if response.templates:
        assert b"not valid" in response.content or b"Nothing here" in response.content


def test_revoked_invitation_no_longer_works(client, login, team, lead, mailoutbox, invite):
    invite(login(lead), team, "later@example.com")
    invitation = Invitation.objects.get()
    response = login(lead).post(reverse("invitation-revoke", args=[team.slug, invitation.pk]))
    assert response.status_code == 302
    page = client.get(link_from(mailoutbox[0]))
    assert page.status_code == 410
    assert b"withdrawn" in page.content


def test_inviting_again_replaces_the_old_link(client, login, team, lead, mailoutbox, invite):
    lead_client = login(lead)
    invite(lead_client, team, "twice@example.com")
    invite(lead_client, team, "twice@example.com")
    assert len(mailoutbox) == 2
    old, new = link_from(mailoutbox[0]), link_from(mailoutbox[1])
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200


def test_invitation_form_errors_are_clear(login, team, lead, member, hx, invite):
    client = login(lead)
    bad = invite(client, team, "not-an-email", **hx)
    assert bad.status_code == 200
    assert b"Enter a valid email address." in bad.content
    existing = invite(client, team, member.email.upper(), **hx)
    assert existing.status_code == 200
    assert b"is already a member" in existing.content
    too_long = invite(client, team, "a" * 250 + "@example.com", **hx)
    assert too_long.status_code == 200
    assert Invitation.objects.count() == 0


def test_member_cannot_invite(login, team, member, invite):
    response = invite(login(member), team, "friend@example.com")
    assert response.status_code == 403
    assert Invitation.objects.count() == 0


def test_one_link_joins_one_person_once(team, lead):
    invitation = services.invitation_create(
        team=team, email="race@example.com", role=Role.MEMBER, invited_by=lead
    )
    person = UserFactory(email="race@example.com")
    services.invitation_accept(invitation_id=invitation.pk, user=person)
    with pytest.raises(services.InvitationUnusable) as raised:
        services.invitation_accept(invitation_id=invitation.pk, user=person)
    assert raised.value.reason == "accepted"
    assert Membership.objects.filter(team=team, user=person).count() == 1


@pytest.mark.parametrize(
    "name",
    [
        "Mehr\u200cnaz",
        "Ra\u00admona",
        "Priya \u0928\u093e\u0924\u093e\u091c\u093e\u0928",
        "👩\u200d💻 Li",
    ],
)
def test_real_names_with_joiners_and_soft_hyphens_are_accepted(client, team, lead, name):
    from accounts import services
    from accounts.models import User

    invitation = services.invitation_create(
        team=team, email="real@example.com", role="member", invited_by=lead
    )
    data = {"display_name": name, "password1": "sturdy-pass-9", "password2": "sturdy-pass-9"}
    response = client.post(reverse("invitation-accept", args=[invitation.token]), data)
    assert response.status_code == 302
    assert User.objects.get(email="real@example.com").display_name == name


def test_an_invitation_to_an_address_with_a_control_character_is_refused(login, team, lead):
    from accounts.models import Invitation

    response = login(lead).post(
        reverse("team-invite", args=[team.slug]),
        {"email": '"a\x0bb"@example.com', "role": "member"},
        follow=True,
    )
    assert "without control characters" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_admin_refuses_a_name_that_could_break_mail_or_disguise_itself(login, lead):
    from zeal import zeal_ignore

    from accounts.models import User

    staff = User.objects.create_superuser(email="root@example.com", password="x", display_name="R")
    client = login(staff)
    url = reverse("admin:accounts_user_change", args=[lead.pk])
    for bad in ["Ana\r\nBcc: x", "\u202eanA"]:
        data = {
            "email": lead.email, "display_name": bad, "is_active": "on",
            "last_login_0": "", "last_login_1": "",
            "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        }  # fmt: skip
        with zeal_ignore():  # Django's own change form repeats a user lookup
            response = client.post(url, data)
        assert response.status_code == 200, bad
        lead.refresh_from_db()
        assert lead.display_name != bad

import re

import pytest
from django.urls import reverse

from accounts.models import User
from prfaq.models import Notification, NotificationStatus
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_email_any_case_then_logout(client, member):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b'type="email"' in page.content

    response = client.post(
        reverse("login"), {"username": member.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    dashboard = client.get(reverse("dashboard"))
    assert member.display_name.encode() in dashboard.content

    # Logout is a POST (no state change on GET) and ends the session.
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_wrong_password_gives_a_clear_error(client, member):
    response = client.post(reverse("login"), {"username": member.email, "password": "nope"})
    assert response.status_code == 200
    assert b"do not match an account" in response.content
    assert "_auth_user_id" not in client.session


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory()
    for _ in range(3):
        client.post(reverse("login"), {"username": user.email, "password": "wrong"})
    for attempt in [user.email, user.email.upper()]:  # letter case does not dodge the lock
        response = client.post(reverse("login"), {"username": attempt, "password": PASSWORD})
        assert response.status_code == 429
        assert b"Too many sign-in attempts" in response.content
        assert "_auth_user_id" not in client.session

    # Another account from the same address is not locked out by someone else's typos.
    other = UserFactory()
    response = client.post(reverse("login"), {"username": other.email, "password": PASSWORD})
    assert response.status_code == 302


def test_password_reset_sends_a_working_link(
    client, mailoutbox, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": member.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [member.email]
    assert message.subject == "Reset your prfaq password"
    assert Notification.objects.get(kind="password_reset").status == NotificationStatus.SENT

    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-much-better-password", "new_password2": "a-much-better-password"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a-much-better-password")


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_password_change(login, member):
    client = login(member)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).check_password("another-long-passphrase")

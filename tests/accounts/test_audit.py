"""The audit log: who signed in, failed, was locked out or refused, and never a secret."""

import io
import logging

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(caplog):
    """The audit events logged so far, as the dicts each line was written from."""
    caplog.set_level(logging.DEBUG)  # every logger, so a leak anywhere would show

    def _events(event: str | None = None) -> list[dict]:
        found = [r.audit for r in caplog.records if r.name == "prfaq.audit"]
        return [e for e in found if event is None or e["event"] == event]

    return _events


def audit_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "prfaq.audit"]


def test_sign_in_and_out_are_logged_with_who_where_and_how(client, member, audit, caplog):
    response = client.post(
        reverse("login") + "?next=/proposals/", {"username": member.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    client.post(reverse("logout"))

    assert audit() == [
        {
            "event": "login",
            "user": member.pk,
            "email": member.email,
            "ip": "127.0.0.1",
            "method": "POST",
            "path": "/accounts/login/",
            "outcome": "success",
        },
        {
            "event": "logout",
            "user": member.pk,
            "email": member.email,
            "ip": "127.0.0.1",
            "method": "POST",
            "path": "/accounts/logout/",
            "outcome": "success",
        },
    ]
    assert audit_lines(caplog)[0] == (
        f"event=login user={member.pk} email={member.email} ip=127.0.0.1 method=POST "
        "path=/accounts/login/ outcome=success"
    )


def test_failed_sign_in_logs_the_email_tried_but_never_the_password(client, member, audit, caplog):
    secret = "Hunter2-my-real-bank-password"
    response = client.post(
        reverse("login") + "?next=/reset-token-in-query",
        {"username": f"  {member.email.upper()} ", "password": secret},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    [failed] = audit("login_failed")
    assert failed["user"] == "anonymous"
    assert failed["email"] == member.email  # lower-cased, trimmed
    assert failed["ip"] == "127.0.0.1"
    assert failed["path"] == "/accounts/login/"
    assert failed["outcome"] == "failure"
    assert audit("login") == []
    # Nothing any logger wrote holds the password, nor the query string.
    assert caplog.records
    assert secret not in caplog.text
    assert all(secret not in str(r.__dict__) for r in caplog.records)
    assert "reset-token-in-query" not in caplog.text


def test_an_email_tried_cannot_forge_a_field_or_a_line(rf, audit, caplog):
    # The sign-in form only accepts addresses; code calling authenticate() has no form.
    authenticate(rf.post("/api/"), username="B@example.com\nevent=login user=1", password="x")
    [line] = audit_lines(caplog)
    assert "\n" not in line
    assert line == (
        'event=login_failed user=anonymous email="b@example.com\\nevent=login user=1" '
        "ip=127.0.0.1 method=POST path=/api/ outcome=failure"
    )


def test_lockout_after_the_failure_limit_is_logged(client, settings, audit):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory()
    for attempt in range(3):
        assert audit("lockout") == []
        client.post(reverse("login"), {"username": user.email, "password": f"wrong-{attempt}"})
    [lockout] = audit("lockout")
    assert lockout["email"] == user.email
    assert lockout["ip"] == "127.0.0.1"
    assert lockout["outcome"] == "locked_out"
    assert len(audit("login_failed")) == 3

    # Even the right password is refused now, and that is logged as another lockout.
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert audit("login") == []
    assert len(audit("login_failed")) == 4
    assert len(audit("lockout")) == 2


def test_outsider_reaching_another_teams_proposal_is_logged_but_a_missing_one_is_not(
    login, proposal, outsider, audit
):
    client = login(outsider)
    hidden = client.get(reverse("proposal-memo", args=[proposal.pk]) + "?q=secret")
    missing = client.get(reverse("proposal-memo", args=[proposal.pk + 1000]))
    # The outsider cannot tell the two apart...
    assert hidden.status_code == missing.status_code == 404
    # ...but the audit log can.
    assert audit("access_denied") == [
        {
            "event": "access_denied",
            "user": outsider.pk,
            "email": outsider.email,
            "ip": "127.0.0.1",
            "method": "GET",
            "path": f"/proposals/{proposal.pk}/",
            "outcome": "404",
            "reason": "No such proposal.",
        }
    ]


def test_member_refused_an_owners_action_is_logged_as_403(login, proposal, lead, member, audit):
    assert login(lead).post(reverse("proposal-submit", args=[proposal.pk])).status_code == 302
    assert audit("access_denied") == []

    response = login(member).post(reverse("proposal-submit", args=[proposal.pk]))
    assert response.status_code == 403
    [denied] = audit("access_denied")
    assert denied["user"] == member.pk
    assert denied["method"] == "POST"
    assert denied["path"] == f"/proposals/{proposal.pk}/submit/"
    assert denied["outcome"] == "403"
    assert denied["reason"] == "Only the owner of this proposal can do that."


def test_tokens_in_invitation_and_reset_links_are_redacted(
    client, login, team, outsider, audit, caplog
):
    invitation = InvitationFactory(team=team, email="someone@example.com")
    new = InvitationFactory(team=team, email="newcomer@example.com")
    django_output = io.StringIO()
    console = logging.getLogger("django").handlers[0]  # the configured console handler
    previous = console.setStream(django_output)
    try:
        # Signed in as someone else: refused, and the live token is not written down.
        wrong = login(outsider).post(reverse("invitation-accept", args=[invitation.token]))
        # A new account from a link: the sign-in it ends with is logged without the token.
        signup = client.post(
            reverse("invitation-accept", args=[new.token]),
            {"display_name": "Nia", "password1": "sturdy-pass-9", "password2": "sturdy-pass-9"},
        )
        # A forged POST to a password-reset link: CSRF refuses it.
        forged = Client(enforce_csrf_checks=True).post(
            "/accounts/reset/MQ/d3f4ult-reset-token-abcdef/", {"new_password1": "x"}
        )
    finally:
        console.setStream(previous)
    assert (wrong.status_code, signup.status_code, forged.status_code) == (403, 302, 403)

    [refused, csrf] = audit("access_denied")
    assert refused["path"] == "/invitations/[redacted]/"
    assert refused["user"] == outsider.pk
    assert csrf["path"] == "/accounts/reset/[redacted]/[redacted]/"
    assert csrf["user"] == "anonymous"
    [signed_in] = audit("login")[-1:]
    assert signed_in["email"] == "newcomer@example.com"
    assert signed_in["path"] == "/invitations/[redacted]/"
    # Django's own "Forbidden: <path>" lines go through the same redaction.
    assert "Forbidden: /invitations/[redacted]/" in django_output.getvalue()
    everything = caplog.text + django_output.getvalue()
    for secret in [invitation.token, new.token, "d3f4ult-reset-token-abcdef"]:
        assert secret not in everything

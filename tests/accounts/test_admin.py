import pytest
from django.urls import reverse

from tests.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["user", "team", "membership", "invitation"])
def test_staff_manage_accounts_in_the_admin(login, lead, team, model):
    InvitationFactory(team=team)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = login(admin)
    changelist = client.get(reverse(f"admin:accounts_{model}_changelist"))
    assert changelist.status_code == 200
    assert client.get(reverse(f"admin:accounts_{model}_add")).status_code == 200


def test_non_staff_cannot_open_the_admin(login, member):
    response = login(member).get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "name", ["Checkout\nBcc: evil@example.com", "Check\u2028out", "Check\x1bout"]
)
def test_a_team_name_keeps_to_one_line_in_the_admin_and_the_service(login, lead, team, name):
    from django.core.exceptions import ValidationError

    from accounts import services

    admin = UserFactory(is_staff=True, is_superuser=True)
    client = login(admin)
    url = reverse("admin:accounts_team_change", args=[team.pk])
    response = client.post(
        url,
        {
            "name": name,
            "slug": team.slug,
            "description": "",
            "created_0": "2026-01-01",
            "created_1": "00:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Keep this to one line" in response.content.decode()
    team.refresh_from_db()
    assert team.name != name
    with pytest.raises(ValidationError, match="one line"):
        services.team_create(name=name, slug="other", lead=lead)

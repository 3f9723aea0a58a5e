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

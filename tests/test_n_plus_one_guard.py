"""The N+1 guard every request in the suite runs under can actually fail."""

import pytest
from zeal import NPlusOneError, zeal_context

from accounts.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_loop_over_related_rows_without_a_join_is_caught(team):
    for _ in range(3):
        MembershipFactory(team=team)
    with pytest.raises(NPlusOneError), zeal_context():
        [m.user.email for m in Membership.objects.filter(team=team)]
    with zeal_context():
        [m.user.email for m in Membership.objects.filter(team=team).select_related("user")]

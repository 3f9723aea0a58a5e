"""The proposal transition table: every allowed pair works, every other raises."""

import pytest

from prfaq import lifecycle, services
from prfaq.lifecycle import TRANSITIONS, Status, TransitionNotAllowed
from prfaq.models import Event, Proposal

pytestmark = pytest.mark.django_db

# The lifecycle as the product defines it (DESIGN.md), written out here and not read
# from the table under test, so a wrong edit to the table fails these tests.
D, R, C, A, L, M, K, W = (
    "drafting", "in_review", "changes_requested", "approved", "launched", "measured",
    "killed", "withdrawn",
)  # fmt: skip
EXPECTED = {
    ("submit", D): R, ("submit", C): R,
    ("request_changes", R): C,
    ("approve", R): A,
    ("launch", A): L,
    ("measure", L): M,
    ("kill", D): K, ("kill", R): K, ("kill", C): K, ("kill", A): K,
    ("withdraw", D): W, ("withdraw", R): W, ("withdraw", C): W, ("withdraw", A): W,
}  # fmt: skip
PAIRS = [(status, action) for status in Status.values for action in TRANSITIONS]


def test_the_table_has_exactly_the_expected_actions():
    assert set(TRANSITIONS) == {action for action, _ in EXPECTED}
    assert set(Status.values) == {D, R, C, A, L, M, K, W}


def in_state(proposal, status):
    # Tests reach states the review issue's services will reach; the table is what is tested.
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    return proposal


@pytest.mark.parametrize(("status", "action"), PAIRS)
def test_every_pair_in_the_table(proposal, lead, status, action):
    in_state(proposal, status)
    target = EXPECTED.get((action, status))
    events_before = Event.objects.filter(proposal=proposal).count()
    if target is not None:
        services.proposal_transition(proposal_id=proposal.pk, actor=lead, action=action, note="n")
        proposal.refresh_from_db()
        assert proposal.status == target
        event = Event.objects.filter(proposal=proposal).latest("created", "pk")
        assert (event.action, event.from_state, event.to_state) == (action, status, target)
        assert Event.objects.filter(proposal=proposal).count() == events_before + 1
    else:
        with pytest.raises(TransitionNotAllowed):
            services.proposal_transition(proposal_id=proposal.pk, actor=lead, action=action)
        proposal.refresh_from_db()
        assert proposal.status == status
        assert Event.objects.filter(proposal=proposal).count() == events_before


def test_unknown_action_raises(proposal):
    with pytest.raises(TransitionNotAllowed):
        lifecycle.transition(proposal, "teleport")


def test_terminal_states_allow_nothing(proposal):
    for status in lifecycle.TERMINAL:
        in_state(proposal, status)
        assert all(status not in rule.sources for rule in TRANSITIONS.values()), (
            f"{status} should be terminal"
        )


def test_available_actions_are_the_owners(proposal, lead, member):
    assert [a.action for a in lifecycle.available_actions(proposal, lead)] == [
        "submit",
        "withdraw",
    ]
    assert lifecycle.available_actions(proposal, member) == []
    in_state(proposal, Status.WITHDRAWN)
    assert lifecycle.available_actions(proposal, lead) == []

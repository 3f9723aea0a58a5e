"""The proposal transition table: every allowed pair works, every other raises."""

import pytest

from prfaq import lifecycle, services
from prfaq.lifecycle import TRANSITIONS, Status, TransitionNotAllowed
from prfaq.models import Event, Proposal

pytestmark = pytest.mark.django_db

PAIRS = [(status, action) for status in Status.values for action in TRANSITIONS]


def in_state(proposal, status):
    # Tests reach states the review issue's services will reach; the table is what is tested.
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    return proposal


@pytest.mark.parametrize(("status", "action"), PAIRS)
def test_every_pair_in_the_table(proposal, lead, status, action):
    in_state(proposal, status)
    rule = TRANSITIONS[action]
    events_before = Event.objects.filter(proposal=proposal).count()
    if status in rule.sources:
        services.proposal_transition(proposal_id=proposal.pk, actor=lead, action=action, note="n")
        proposal.refresh_from_db()
        assert proposal.status == rule.target
        event = Event.objects.filter(proposal=proposal).latest("created", "pk")
        assert (event.action, event.from_state, event.to_state) == (action, status, rule.target)
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

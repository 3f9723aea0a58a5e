"""The funnel on a data set whose right answers are worked out by hand below."""

import pytest
from django.urls import reverse

from prfaq import funnel, services
from reviews.models import ReviewerRole, Ring
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.helpers import assert_constant_queries
from tests.review_helpers import approve, run_round, write_strong

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline(team, lead, member):
    """Seven proposals:
    P1, P2 drafting; P3 in the Team ring; P4 passed Team, waiting for Peers;
    P5 approved (all three rings); P6 withdrawn; P7 killed in the Team ring.
    """
    leader = MembershipFactory(team=TeamFactory(), user=UserFactory(display_name="Lee")).user
    made = {}
    for name in ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]:
        made[name] = services.proposal_create(team=team, owner=lead, title=name)
    for name in ["P3", "P4", "P5", "P7"]:
        write_strong(made[name], lead)
    run_round(made["P3"], lead, [(member, ReviewerRole.REVIEWER, "", "")])
    run_round(made["P4"], lead, [(member, ReviewerRole.REVIEWER, "approve", "")])
    approve(made["P5"], lead, member, leader)
    services.proposal_withdraw(proposal_id=made["P6"].pk, actor=lead, note="Thin evidence")
    Ring.objects.filter(team=team, position=1).update(may_kill=True)
    run_round(made["P7"], lead, [(member, ReviewerRole.APPROVER, "kill", "Too small a market.")])
    return made


def test_funnel_numbers_worked_out_by_hand(pipeline, team, lead):
    qs = funnel.proposals(team_ids=[team.pk], team=team.pk, start=None, end=None)
    data = funnel.compute(qs, team.pk, [team.pk])
    stages = {s.key: s for s in data["stages"]}
    assert data["total"] == 7
    assert [(k, s.now, s.reached) for k, s in stages.items()] == [
        ("drafting", 2, 7),
        ("ring-1", 1, 4),  # P3 now; P3, P4, P5, P7 entered it
        ("ring-2", 1, 1),  # P4 waits for it; only P5 entered it
        ("ring-3", 0, 1),
        ("approved", 1, 1),
        ("launched", 0, 0),
        ("measured", 0, 0),
    ]
    assert stages["drafting"].conversion == pytest.approx(4 / 7)
    assert stages["ring-1"].conversion == pytest.approx(1 / 4)
    assert stages["ring-2"].conversion == 1
    assert stages["approved"].conversion == 0
    assert stages["measured"].conversion is None
    assert (data["killed"], data["withdrawn"]) == (1, 1)
    assert data["kill_rate"] == pytest.approx(1 / 7)
    assert stages["ring-1"].median_days is not None  # P4, P5, P7 closed their Team rounds
    killed = funnel.killed_list(qs)
    assert [(p.title, p.reason) for p in killed] == [("P7", "Too small a market.")]


def test_funnel_page_filters_and_shows_reasons(pipeline, team, login, lead, hx):
    client = login(lead)
    page = client.get(reverse("funnel"), **hx).content.decode()
    assert "Too small a market." in page
    assert '<svg class="chart funnel-chart"' in page
    assert "14%" in page  # kill rate, 1 of 7
    none = client.get(reverse("funnel") + "?start=2099-01-01").content.decode()
    assert "No proposals match" in none
    bad = client.get(reverse("funnel") + "?team=abc&start=notadate")
    assert bad.status_code == 200


def test_funnel_queries_do_not_grow_with_proposals(pipeline, team, lead, login):
    from prfaq.models import Proposal

    client = login(lead)

    def grow():
        now = Proposal.objects.first().created
        Proposal.objects.bulk_create(
            [
                Proposal(team=team, owner=lead, title=f"Bulk {i}", created=now, updated=now)
                for i in range(2000)
            ]
        )

    assert_constant_queries(client, reverse("funnel"), grow)


def test_funnel_names_a_filter_it_cannot_use_and_keeps_the_others(pipeline, team, login, lead):
    other = TeamFactory()
    client = login(lead)
    page = client.get(reverse("funnel") + f"?team={other.pk}").content.decode()
    assert "That team is not one of yours" in page
    assert "Too small a market." in page  # all of my teams instead
    # A bad date is named beside its field, and the valid team filter still applies.
    page = client.get(reverse("funnel") + f"?team={team.pk}&start=notadate").content.decode()
    assert "Enter a valid date." in page
    assert f'<option value="{team.pk}" selected>' in page
    assert "not one of yours" not in page

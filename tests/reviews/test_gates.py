"""Rings, rounds and gates: lifecycle, who may review, pass and kill rules, staleness."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse

from prfaq.lifecycle import Status
from prfaq.models import Event, Proposal
from reviews import lifecycle, services
from reviews.lifecycle import ROUND_TRANSITIONS, Outcome, RoundStatus
from reviews.models import Assignment, Comment, Decision, ReviewerRole, Ring, Round
from tests.prfaq.helpers import save_step
from tests.reviews.conftest import choices, read

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "action"), [(s, a) for s in RoundStatus.values for a in ROUND_TRANSITIONS]
)
def test_round_lifecycle_table(open_round, reviewers, status, action):
    round_ = open_round(choices(reviewers[0]))
    Round.objects.filter(pk=round_.pk).update(status=status)
    round_.refresh_from_db()
    expected = {  # written out, not read from the table under test
        ("discuss", "reading"): "discussing",
        ("close", "reading"): "closed",
        ("close", "discussing"): "closed",
    }
    assert set(ROUND_TRANSITIONS) == {a for a, _ in expected}
    target = expected.get((action, status))
    if target is not None:
        assert lifecycle.transition(round_, action) == (status, target)
    else:
        with pytest.raises(lifecycle.TransitionNotAllowed):
            lifecycle.transition(round_, action)


def test_teams_get_three_default_rings(team):
    rings = list(Ring.objects.filter(team=team).order_by("position"))
    assert [r.name for r in rings] == ["Team", "Peers & stakeholders", "Leadership"]
    assert [r.may_kill for r in rings] == [False, False, True]
    assert rings[1].requires_bar_raiser is True
    assert all(r.reading_minutes == 20 for r in rings)


def test_who_may_review(open_round, lead, reviewers, stranger):
    with pytest.raises(ValidationError, match="cannot review their own"):
        open_round(choices(lead))
    with pytest.raises(ValidationError, match="first ring is read by the team"):
        open_round(choices(stranger))
    with pytest.raises(ValidationError, match="must come from outside"):
        open_round(choices(reviewers[0], role=ReviewerRole.BAR_RAISER))
    with pytest.raises(ValidationError, match="At least one reviewer must be required"):
        open_round(choices(reviewers[0], required=False))
    with pytest.raises(ValidationError, match="at least one reviewer"):
        open_round([])
    round_ = open_round(choices(reviewers[0]) + choices(stranger, role=ReviewerRole.BAR_RAISER))
    assert round_.assignments.count() == 2
    with pytest.raises(ValidationError, match="already open"):
        open_round(choices(reviewers[1]))


def test_one_open_round_is_also_a_database_rule(open_round, reviewers, ready):
    round_ = open_round(choices(reviewers[0]))
    with pytest.raises(IntegrityError):
        Round.objects.create(
            proposal=ready, number=2, ring=round_.ring, revision=round_.revision, due=round_.due
        )


def test_writing_check_errors_block_opening_a_round(open_round, ready, lead, reviewers):
    save_step(
        ready,
        lead,
        "press_release",
        {**ready.current_revision.content["press_release"], "headline": ""},
    )
    with pytest.raises(ValidationError, match="must be fixed before review"):
        open_round(choices(reviewers[0]))
    assert Proposal.objects.get(pk=ready.pk).status == Status.DRAFTING


def decide(round_, user, decision, note="because"):
    return services.decision_record(
        round_id=round_.pk, reviewer=user, decision=decision, rationale=note
    )


def test_a_proposal_travels_team_peers_leadership_to_approved(
    open_round, ready, lead, reviewers, stranger
):
    team_round = open_round(choices(*reviewers[:2]))
    for user in reviewers[:2]:
        read(team_round, user)
        decide(team_round, user, Decision.APPROVE)
    team_round.refresh_from_db()
    assert (team_round.status, team_round.outcome) == (RoundStatus.CLOSED, Outcome.PASSED)
    assert Proposal.objects.get(pk=ready.pk).status == Status.IN_REVIEW

    peers = open_round(
        choices(*reviewers, required=False) + choices(stranger, role=ReviewerRole.BAR_RAISER)
    )
    assert peers.ring.name == "Peers & stakeholders"
    for user in [reviewers[0], stranger]:
        read(peers, user)
    decide(peers, reviewers[0], Decision.APPROVE)
    decide(peers, stranger, Decision.DISAGREE_COMMIT, "I would price it differently; committing.")
    peers.refresh_from_db()
    assert peers.outcome == Outcome.PASSED  # 2 approvals, bar raiser approved

    leaders = open_round(choices(stranger, role=ReviewerRole.APPROVER))
    assert leaders.ring.name == "Leadership"
    read(leaders, stranger)
    decide(leaders, stranger, Decision.APPROVE, "")
    assert Proposal.objects.get(pk=ready.pk).status == Status.APPROVED
    assert Event.objects.filter(proposal=ready, action="approve").exists()


def test_notes_are_required_where_the_record_needs_them(open_round, reviewers):
    round_ = open_round(choices(reviewers[0]))
    with pytest.raises(ValidationError, match="Finish reading"):
        decide(round_, reviewers[0], Decision.APPROVE)
    read(round_, reviewers[0])
    for decision in [Decision.DISAGREE_COMMIT, Decision.REQUEST_CHANGES]:
        with pytest.raises(ValidationError, match="Say why"):
            decide(round_, reviewers[0], decision, "  ")


def test_only_approvers_in_a_killing_ring_may_kill(open_round, ready, reviewers, stranger):
    round_ = open_round(choices(reviewers[0], role=ReviewerRole.APPROVER))
    read(round_, reviewers[0])
    with pytest.raises(PermissionDenied, match="cannot kill"):
        decide(round_, reviewers[0], Decision.KILL)
    Ring.objects.filter(pk=round_.ring_id).update(may_kill=True)
    services.round_close(round_id=round_.pk, actor=None)  # undecided: changes requested
    again = open_round(
        choices(reviewers[0], role=ReviewerRole.REVIEWER)
        + choices(reviewers[1], role=ReviewerRole.APPROVER)
    )
    read(again, reviewers[0])
    read(again, reviewers[1])
    with pytest.raises(PermissionDenied, match="Only an approver"):
        decide(again, reviewers[0], Decision.KILL)
    with pytest.raises(ValidationError, match="Say why"):
        decide(again, reviewers[1], Decision.KILL, "")
    decide(again, reviewers[1], Decision.KILL, "The market is too small: 11 requests a year.")
    assert Proposal.objects.get(pk=ready.pk).status == Status.IN_REVIEW  # others still decide
    decide(again, reviewers[0], Decision.APPROVE)
    ready.refresh_from_db()
    assert ready.status == Status.KILLED
    assert (
        Event.objects.get(proposal=ready, action="kill").note
        == "The market is too small: 11 requests a year."
    )


def make(ring, **decisions):
    items = []
    for name, spec in decisions.items():
        role, required, decision, stale = spec
        items.append(
            Assignment(role=role, required=required, decision=decision, stale=stale, rationale=name)
        )
    return services.outcome_for(ring, items, 0)[0]


R, A, B = ReviewerRole.REVIEWER, ReviewerRole.APPROVER, ReviewerRole.BAR_RAISER


@pytest.mark.parametrize(
    ("rule", "n", "bar", "assignments", "blockers", "expected"),
    [
        (
            "all_required",
            1,
            False,
            [(R, True, "approve", False), (R, True, "approve", False)],
            0,
            Outcome.PASSED,
        ),
        (
            "all_required",
            1,
            False,
            [(R, True, "approve", False), (R, True, "", False)],
            0,
            Outcome.CHANGES,
        ),
        (
            "all_required",
            1,
            False,
            [(R, True, "approve", False), (R, False, "", False)],
            0,
            Outcome.PASSED,
        ),
        ("all_required", 1, False, [(R, True, "approve", True)], 0, Outcome.CHANGES),  # stale
        ("all_required", 1, False, [(R, True, "approve", False)], 1, Outcome.CHANGES),  # blocker
        (
            "at_least",
            2,
            False,
            [(R, False, "approve", False), (R, False, "disagree_commit", False)],
            0,
            Outcome.PASSED,
        ),
        (
            "at_least",
            2,
            False,
            [(R, False, "approve", False), (R, True, "request_changes", False)],
            0,
            Outcome.CHANGES,
        ),
        (
            "at_least",
            1,
            True,
            [(R, True, "approve", False), (B, True, "request_changes", False)],
            0,
            Outcome.CHANGES,
        ),
        (
            "at_least",
            1,
            True,
            [(R, True, "approve", False), (B, True, "approve", False)],
            0,
            Outcome.PASSED,
        ),
        (
            "all_required",
            1,
            False,
            [(A, True, "kill", False), (R, True, "approve", False)],
            0,
            Outcome.KILLED,
        ),
    ],
)
def test_pass_rules(team, rule, n, bar, assignments, blockers, expected):
    ring = Ring(
        team=team, position=9, name="x", pass_rule=rule, min_approvals=n, requires_bar_raiser=bar
    )
    items = [Assignment(role=r, required=req, decision=d, stale=s) for r, req, d, s in assignments]
    assert services.outcome_for(ring, items, blockers)[0] == expected


def test_changes_requested_goes_back_to_the_author_and_the_same_ring(
    open_round, ready, lead, reviewers
):
    round_ = open_round(choices(reviewers[0]))
    read(round_, reviewers[0])
    services.comment_create(
        round_id=round_.pk,
        author=reviewers[0],
        section="press_release.summary",
        body="Needs the price",
    )
    decide(round_, reviewers[0], Decision.REQUEST_CHANGES, "Say what it costs.")
    ready.refresh_from_db()
    assert ready.status == Status.CHANGES_REQUESTED
    assert Comment.objects.filter(proposal=ready).count() == 1  # comments kept
    again = open_round(choices(reviewers[0]))
    assert again.ring == round_.ring
    assert again.number == 2


def test_newer_revision_makes_approvals_stale(open_round, ready, lead, reviewers):
    round_ = open_round(choices(*reviewers[:2]))
    read(round_, reviewers[0])
    decide(round_, reviewers[0], Decision.APPROVE)
    save_step(
        ready,
        lead,
        "customer",
        {**ready.current_revision.content["customer"], "how_many": "41,000 households"},
    )
    services.round_put_up_newest(round_id=round_.pk, actor=lead)
    first = Assignment.objects.get(round=round_, reviewer=reviewers[0])
    assert first.stale is True
    assert first.counts_as_approval is False
    read(round_, reviewers[1])
    decide(round_, reviewers[1], Decision.APPROVE)
    round_.refresh_from_db()
    assert round_.is_open  # the stale approval must be given again first
    decide(round_, reviewers[0], Decision.APPROVE)
    round_.refresh_from_db()
    assert round_.outcome == Outcome.PASSED


def test_comments_carry_over_reanchored_or_outdated_never_dropped(
    open_round, ready, lead, reviewers
):
    round_ = open_round(choices(reviewers[0]))
    read(round_, reviewers[0])
    kept = services.comment_create(
        round_id=round_.pk, author=reviewers[0], section="press_release.headline",
        quote="holds your delivery slot", body="Good headline",
    )  # fmt: skip
    lost = services.comment_create(
        round_id=round_.pk, author=reviewers[0], section="benefit.benefit",
        quote="still have that slot", body="Number?",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="not in the section"):
        services.comment_create(
            round_id=round_.pk,
            author=reviewers[0],
            section="benefit.benefit",
            quote="not there",
            body="x",
        )
    decide(round_, reviewers[0], Decision.REQUEST_CHANGES, "Add the number.")
    save_step(
        ready,
        lead,
        "benefit",
        {
            **ready.current_revision.content["benefit"],
            "benefit": "Customers keep their slot for 60 minutes.",
        },
    )
    round2 = open_round(choices(reviewers[0]))
    kept.refresh_from_db()
    lost.refresh_from_db()
    assert (kept.outdated, kept.anchor_revision_id) == (False, round2.revision_id)
    assert (lost.outdated, lost.quote) == (True, "still have that slot")


def test_blocking_concern_only_its_author_resolves_and_it_keeps_the_gate_shut(
    open_round, ready, lead, reviewers
):
    round_ = open_round(choices(*reviewers[:2]))
    read(round_, reviewers[0])
    read(round_, reviewers[1])
    concern = services.comment_create(
        round_id=round_.pk, author=reviewers[0], section="general", body="Risky", blocking=True
    )
    with pytest.raises(PermissionDenied):
        services.comment_resolve(comment_id=concern.pk, user=lead)
    decide(round_, reviewers[0], Decision.APPROVE)
    decide(round_, reviewers[1], Decision.APPROVE)
    round_.refresh_from_db()
    assert round_.outcome == Outcome.CHANGES
    assert "blocking" in round_.outcome_note


@pytest.mark.parametrize("may_kill", [False, True])
@pytest.mark.parametrize("role", [ReviewerRole.REVIEWER, ReviewerRole.APPROVER])
def test_kill_is_offered_exactly_to_those_who_may_kill(
    open_round, ready, reviewers, login, may_kill, role
):
    """The decision form's Kill option and the service's answer are the same rule."""
    ana = reviewers[0]
    Ring.objects.filter(team=ready.team, position=1).update(may_kill=may_kill)
    round_ = open_round(choices(ana, role=role))
    read(round_, ana)
    page = login(ana).get(reverse("round-detail", args=[ready.pk, round_.number])).content
    offered = b'value="kill"' in page
    try:
        services.decision_record(
            round_id=round_.pk, reviewer=ana, decision=Decision.KILL, rationale="No."
        )
    except PermissionDenied:
        accepted = False
    else:
        accepted = True
    assert offered == accepted == (may_kill and role == ReviewerRole.APPROVER)

"""Concurrent decisions end in one consistent outcome.

Each test races real services (or real pages) from threads, each on its own database
connection, released together by a barrier. Whoever loses gets a lifecycle or
validation error that the page shows as a message: one decision per reviewer, one
close, one contract, one status, one set of timeline entries and notifications.
Where only one interleaving goes wrong (a deadlock, a stale read), the test holds a
row lock itself and queues the calls behind it in that order.

The row locks these rely on exist only on PostgreSQL (SQLite serializes every writer
on the whole file), so the module runs there: CI's second run, with DATABASE_URL.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from prfaq import lifecycle as proposal_lifecycle
from prfaq import services as prfaq_services
from prfaq.lifecycle import Status
from prfaq.models import Contract, Event, Notification, Proposal
from reviews import lifecycle, services
from reviews.lifecycle import Outcome, RoundStatus
from reviews.models import Assignment, Decision, ReviewerRole, Round
from tests.prfaq.helpers import save_step
from tests.review_helpers import run_round
from tests.reviews.conftest import choices, read

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks need PostgreSQL: SQLite locks the whole file, so nothing races. "
        "Run with DATABASE_URL=postgres://... (CI's second run does).",
    ),
    pytest.mark.django_db(transaction=True),
]


# --- Racing ---------------------------------------------------------------------------


class Racer(threading.Thread):
    """One call in its own thread, on its own database connection, closed at the end."""

    def __init__(self, call: Callable[[], Any], barrier: threading.Barrier | None = None):
        super().__init__(daemon=True)
        self.call = call
        self.barrier = barrier
        self.pid: int | None = None
        self.result: Any = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:  # connect first: the barrier releases a query
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            if self.barrier is not None:
                self.barrier.wait(timeout=10)
            self.result = self.call()
        except Exception as exc:
            self.error = exc
        finally:
            connection.close()

    def settle(self) -> None:
        """Wait until this call waits for a row lock, or has finished."""
        deadline = time.monotonic() + 10
        while self.is_alive():
            with connection.cursor() as cursor:
                # The caller is in a transaction, which would keep reading one snapshot.
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'",
                    [self.pid],
                )
                if cursor.fetchone():
                    return
            assert time.monotonic() < deadline, "the call neither waits for a lock nor ends"
            time.sleep(0.01)


def race(*calls: Callable[[], Any]) -> list[Racer]:
    """Start every call at the same moment; wait for all of them."""
    barrier = threading.Barrier(len(calls))
    racers = [Racer(call, barrier) for call in calls]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)
    assert not any(r.is_alive() for r in racers), "a racing call never finished"
    return racers


def queue_behind(locked: QuerySet, *calls: Callable[[], Any]) -> list[Racer]:
    """Lock `locked` as another request would, start each call in turn once the one
    before waits behind it (or is done), then let go and wait for all of them."""
    racers = []
    with transaction.atomic():
        list(locked.select_for_update(of=("self",)))
        for call in calls:
            racer = Racer(call)
            racer.start()
            racer.settle()
            racers.append(racer)
    for racer in racers:
        racer.join(timeout=30)
    assert not any(r.is_alive() for r in racers), "a queued call never finished"
    return racers


def winners_and_losers(racers: list[Racer]) -> tuple[list[Racer], list[Racer]]:
    won = [r for r in racers if r.error is None]
    lost = [r for r in racers if r.error is not None]
    return won, lost


def assert_refused(racer: Racer, kind: type[Exception], text: str) -> None:
    """The loser got the clean error a page turns into a message, nothing else."""
    assert isinstance(racer.error, kind), repr(racer.error)
    assert text in " ".join(getattr(racer.error, "messages", [str(racer.error)]))


def events(proposal: Proposal) -> Counter[str]:
    return Counter(Event.objects.filter(proposal=proposal).values_list("action", flat=True))


def notified(kind: str, round_: Round | None = None) -> Counter[int]:
    """How many notifications of `kind` (about `round_`) each user got."""
    sent = Notification.objects.filter(kind=kind)
    if round_ is not None:
        sent = sent.filter(url=round_.get_absolute_url())
    return Counter(sent.values_list("user_id", flat=True))


def open_rounds(proposal: Proposal) -> int:
    return Round.objects.filter(proposal=proposal).exclude(status=RoundStatus.CLOSED).count()


def decide(round_: Round, user, decision: str, note: str = "because") -> Callable[[], Any]:
    return lambda: services.decision_record(
        round_id=round_.pk, reviewer=user, decision=decision, rationale=note
    )


def opener(proposal: Proposal, owner, reviewer_choices) -> Callable[[], Round]:
    return lambda: services.round_open(
        proposal_id=proposal.pk, actor=owner, mode="async",
        due=timezone.now() + timedelta(days=3), reviewers=reviewer_choices,
    )  # fmt: skip


def to_leadership(proposal: Proposal, owner, member, outsider) -> None:
    """Pass the Team ring, then Peers & stakeholders (the outsider as bar raiser)."""
    run_round(proposal, owner, [(member, ReviewerRole.REVIEWER, "approve", "")])
    run_round(
        proposal, owner,
        [
            (member, ReviewerRole.REVIEWER, "approve", ""),
            (outsider, ReviewerRole.BAR_RAISER, "approve", ""),
        ],
    )  # fmt: skip


@pytest.fixture
def two_read(open_round, reviewers):
    """A Team round with Ana and Ben required; both have finished reading."""
    round_ = open_round(choices(*reviewers[:2]))
    for user in reviewers[:2]:
        read(round_, user)
    return round_


@pytest.fixture
def leadership(ready, lead, member, outsider):
    """The Leadership round, open, with the outsider as its approver (done reading)."""
    to_leadership(ready, lead, member, outsider)
    round_ = opener(ready, lead, choices(outsider, role=ReviewerRole.APPROVER))()
    read(round_, outsider)
    return round_


def page_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- 1. Closing the same round twice ---------------------------------------------------


def test_owner_double_submitting_close_closes_once(two_read, ready, lead, reviewers):
    ana, ben = reviewers[:2]
    decide(two_read, ana, Decision.APPROVE)()
    close = lambda: services.round_close(round_id=two_read.pk, actor=lead)  # noqa: E731

    won, lost = winners_and_losers(race(close, close))

    assert len(won) == 1
    assert_refused(lost[0], lifecycle.TransitionNotAllowed, "already closed")
    two_read.refresh_from_db()
    assert (two_read.status, two_read.outcome) == (RoundStatus.CLOSED, Outcome.CHANGES)
    assert Proposal.objects.get(pk=ready.pk).status == Status.CHANGES_REQUESTED
    seen = events(ready)
    assert (seen["round_close"], seen["request_changes"]) == (1, 1)
    assert notified("round_closed") == {ana.pk: 1, ben.pk: 1, lead.pk: 1}


def test_owner_closing_while_the_last_reviewer_decides_runs_the_gate_once(
    two_read, ready, lead, reviewers
):
    ana, ben = reviewers[:2]
    decide(two_read, ana, Decision.APPROVE)()
    close = lambda: services.round_close(round_id=two_read.pk, actor=lead)  # noqa: E731

    closing, deciding = race(close, decide(two_read, ben, Decision.APPROVE))

    two_read.refresh_from_db()
    ben_decision = Assignment.objects.get(round=two_read, reviewer=ben).decision
    if deciding.error is None:  # Ben's decision completed the round; the owner was late
        assert_refused(closing, lifecycle.TransitionNotAllowed, "already closed")
        assert (two_read.outcome, ben_decision) == (Outcome.PASSED, Decision.APPROVE)
        assert events(ready)["decide"] == 2
    else:  # the owner closed first, with Ben's decision missing
        assert closing.error is None
        assert_refused(deciding, lifecycle.TransitionNotAllowed, "This round is closed.")
        assert (two_read.outcome, ben_decision) == (Outcome.CHANGES, "")
        assert events(ready)["decide"] == 1
    assert events(ready)["round_close"] == 1
    assert notified("round_closed") == {ana.pk: 1, ben.pk: 1, lead.pk: 1}


def test_double_close_on_the_page_gives_the_loser_a_message(login, two_read, lead):
    url = reverse("round-action", args=[two_read.proposal_id, two_read.number, "close"])
    first, second = login(lead), login(lead)

    racers = race(lambda: first.post(url), lambda: second.post(url))

    assert [r.error for r in racers] == [None, None]
    assert [r.result.status_code for r in racers] == [302, 302]
    said = [page_messages(r.result) for r in racers]
    assert sorted(said) == [[], ["This round is already closed."]]
    assert Event.objects.filter(action="round_close").count() == 1


# --- 2. Reviewers completing a round together ------------------------------------------


@pytest.mark.parametrize(
    ("cys_decision", "outcome", "status", "gate_event"),
    [
        (Decision.APPROVE, Outcome.PASSED, Status.IN_REVIEW, "ring_passed"),
        (Decision.REQUEST_CHANGES, Outcome.CHANGES, Status.CHANGES_REQUESTED, "request_changes"),
    ],
)
def test_last_decisions_at_once_close_the_round_once_with_all_of_them(
    open_round, ready, lead, reviewers, cys_decision, outcome, status, gate_event
):
    round_ = open_round(choices(*reviewers))
    for user in reviewers:
        read(round_, user)
    ana, ben, cy = reviewers

    racers = race(
        decide(round_, ana, Decision.APPROVE),
        decide(round_, ben, Decision.APPROVE),
        decide(round_, cy, cys_decision, "The price is not in the FAQ."),
    )

    assert [r.error for r in racers] == [None, None, None]
    round_.refresh_from_db()
    assert (round_.status, round_.outcome) == (RoundStatus.CLOSED, outcome)
    if outcome == Outcome.CHANGES:  # the gate saw Cy's decision, not a missing one
        assert round_.outcome_note == "The price is not in the FAQ."
    assert Proposal.objects.get(pk=ready.pk).status == status
    seen = events(ready)
    assert (seen["decide"], seen["round_close"], seen[gate_event]) == (3, 1, 1)
    assert notified("decision") == {lead.pk: 3}
    assert notified("round_closed") == {ana.pk: 1, ben.pk: 1, cy.pk: 1, lead.pk: 1}


def test_two_approvers_passing_the_last_ring_at_once_write_one_contract(
    ready, lead, member, outsider, stranger
):
    to_leadership(ready, lead, member, outsider)
    round_ = opener(ready, lead, choices(outsider, stranger, role=ReviewerRole.APPROVER))()
    for user in (outsider, stranger):
        read(round_, user)

    racers = race(
        decide(round_, outsider, Decision.APPROVE), decide(round_, stranger, Decision.APPROVE)
    )

    assert [r.error for r in racers] == [None, None]
    assert Proposal.objects.get(pk=ready.pk).status == Status.APPROVED
    contract = Contract.objects.get(proposal=ready)
    assert contract.version == 1
    assert sorted(a["decision"] for a in contract.approvers) == ["Approve", "Approve"]
    seen = events(ready)
    assert (seen["approve"], seen["contract"]) == (1, 1)


# --- 3. The owner withdraws while a leader kills ----------------------------------------


def assert_withdrawn_or_killed(
    proposal: Proposal, round_: Round, withdrawing: Racer, killing: Racer, before: Counter[str]
) -> None:
    """Exactly one of the two happened, with its events; the round is closed either way."""
    proposal.refresh_from_db()
    round_.refresh_from_db()
    seen = events(proposal) - before
    assert open_rounds(proposal) == 0
    assert seen["round_close"] == 1
    if proposal.status == Status.WITHDRAWN:
        assert withdrawing.error is None
        assert_refused(killing, lifecycle.TransitionNotAllowed, "This round is closed.")
        assert round_.outcome == Outcome.CANCELLED
        assert (seen["withdraw"], seen["kill"]) == (1, 0)
        assert not Assignment.objects.filter(round=round_, decision=Decision.KILL).exists()
    else:
        assert proposal.status == Status.KILLED
        assert killing.error is None
        assert_refused(withdrawing, proposal_lifecycle.TransitionNotAllowed, "is killed")
        assert round_.outcome == Outcome.KILLED
        assert (seen["withdraw"], seen["kill"]) == (0, 1)
        assert Event.objects.get(proposal=proposal, action="kill").note == "No customer asked."


def test_withdrawing_cancels_the_open_round(login, leadership, ready, lead, outsider):
    prfaq_services.proposal_withdraw(proposal_id=ready.pk, actor=lead, note="Thin evidence")

    leadership.refresh_from_db()
    assert (leadership.status, leadership.outcome) == (RoundStatus.CLOSED, Outcome.CANCELLED)
    assert open_rounds(ready) == 0
    page = login(outsider).get(leadership.get_absolute_url())
    assert "Closed: Cancelled" in page.content.decode()
    assert "The proposal was withdrawn." in page.content.decode()
    # The leader is told they need not review it any more.
    assert notified("round_closed", leadership) == {outsider.pk: 1}
    with pytest.raises(lifecycle.TransitionNotAllowed, match=r"This round is closed\."):
        decide(leadership, outsider, Decision.KILL, "No customer asked.")()


def test_withdraw_and_kill_at_once_end_one_way(leadership, ready, lead, outsider):
    before = events(ready)
    withdrawing, killing = race(
        lambda: prfaq_services.proposal_withdraw(proposal_id=ready.pk, actor=lead),
        decide(leadership, outsider, Decision.KILL, "No customer asked."),
    )

    assert_withdrawn_or_killed(ready, leadership, withdrawing, killing, before)


@pytest.mark.parametrize("first", ["withdraw", "kill"])
def test_withdraw_and_kill_queued_behind_a_save_never_deadlock(
    leadership, ready, lead, outsider, first
):
    """Both wait while the owner's autosave holds the proposal; then each goes in turn.

    The one queued first wins. Services lock the proposal before the round, so the
    second waits for the first instead of each holding what the other needs.
    """
    calls = {
        "withdraw": lambda: prfaq_services.proposal_withdraw(proposal_id=ready.pk, actor=lead),
        "kill": decide(leadership, outsider, Decision.KILL, "No customer asked."),
    }
    order = [first, *(name for name in calls if name != first)]
    before = events(ready)

    # The owner's autosave holds the proposal, as proposal_save_step does.
    queued = queue_behind(Proposal.objects.filter(pk=ready.pk), *(calls[n] for n in order))
    racers = dict(zip(order, queued, strict=True))

    assert_withdrawn_or_killed(ready, leadership, racers["withdraw"], racers["kill"], before)
    expected = Status.WITHDRAWN if first == "withdraw" else Status.KILLED
    assert Proposal.objects.get(pk=ready.pk).status == expected


def test_double_withdraw_on_the_page_gives_the_loser_a_message(login, leadership, ready, lead):
    url = reverse("proposal-withdraw", args=[ready.pk])
    first, second = login(lead), login(lead)
    before = events(ready)

    racers = race(
        lambda: first.post(url, {"note": "Thin evidence"}),
        lambda: second.post(url, {"note": "Thin evidence"}),
    )

    assert [r.error for r in racers] == [None, None]
    assert [r.result.status_code for r in racers] == [302, 302]
    said = sorted(page_messages(r.result) for r in racers)
    assert said == [
        ["The proposal was withdrawn. It stays in the funnel as withdrawn."],
        ["This proposal is withdrawn: “Withdraw” is not possible now."],
    ]
    seen = events(ready) - before
    assert (seen["withdraw"], seen["round_close"]) == (1, 1)
    assert open_rounds(ready) == 0


# --- 4. One reviewer posting the same decision twice ------------------------------------


def test_double_posted_decision_is_recorded_once(two_read, ready, lead, reviewers):
    ana = reviewers[0]

    racers = race(decide(two_read, ana, Decision.APPROVE), decide(two_read, ana, Decision.APPROVE))

    assert [r.error for r in racers] == [None, None]
    assert Assignment.objects.get(round=two_read, reviewer=ana).decision == Decision.APPROVE
    assert events(ready)["decide"] == 1
    assert notified("decision") == {lead.pk: 1}
    assert open_rounds(ready) == 1  # Ben has not decided


def test_double_posted_decision_on_the_page_is_recorded_once(login, two_read, ready, reviewers):
    ana = reviewers[0]
    url = reverse("decision-record", args=[ready.pk, two_read.number])
    first, second = login(ana), login(ana)
    data = {"decision": "request_changes", "rationale": "Say what it costs."}

    racers = race(lambda: first.post(url, data), lambda: second.post(url, data))

    assert [r.result.status_code for r in racers] == [302, 302]
    assert [page_messages(r.result) for r in racers] == [["Recorded: Request changes."]] * 2
    assert events(ready)["decide"] == 1


def test_changing_a_decision_is_still_recorded(two_read, ready, reviewers):
    ana = reviewers[0]
    decide(two_read, ana, Decision.APPROVE)()
    decide(two_read, ana, Decision.REQUEST_CHANGES, "On reflection: the price is missing.")()
    assert events(ready)["decide"] == 2
    assert Assignment.objects.get(round=two_read, reviewer=ana).decision == (
        Decision.REQUEST_CHANGES
    )


# --- 5. Opening rounds, meetings, launching ----------------------------------------------


def test_opening_the_same_round_twice_opens_one(ready, lead, reviewers):
    open_it = opener(ready, lead, choices(*reviewers[:2]))

    won, lost = winners_and_losers(race(open_it, open_it))

    assert len(won) == 1
    assert_refused(lost[0], ValidationError, "A round is already open for this proposal.")
    assert Round.objects.filter(proposal=ready).count() == 1
    assert Proposal.objects.get(pk=ready.pk).status == Status.IN_REVIEW
    seen = events(ready)
    assert (seen["submit"], seen["round_open"]) == (1, 1)
    assert notified("round_opened") == {reviewers[0].pk: 1, reviewers[1].pk: 1}


def test_opening_the_same_amendment_twice_opens_one(ready, lead, member, outsider):
    to_leadership(ready, lead, member, outsider)
    run_round(ready, lead, [(outsider, ReviewerRole.APPROVER, "approve", "")])
    assert Proposal.objects.get(pk=ready.pk).status == Status.APPROVED
    body = Proposal.objects.get(pk=ready.pk).current_revision.content["problem"]
    save_step(ready, lead, "problem", {**body, "today": body["today"] + " Twice a week."})
    open_it = opener(ready, lead, choices(outsider, role=ReviewerRole.APPROVER))

    won, lost = winners_and_losers(race(open_it, open_it))

    assert len(won) == 1
    assert_refused(lost[0], ValidationError, "A round is already open for this proposal.")
    assert Round.objects.filter(proposal=ready, amendment=True).count() == 1
    assert open_rounds(ready) == 1
    assert events(ready)["round_open"] == 4


def test_meeting_started_and_ended_twice_at_once_runs_once(open_round, ready, lead, reviewers):
    round_ = open_round(choices(*reviewers[:2]), mode="meeting")
    start = lambda: services.meeting_start(round_id=round_.pk, actor=lead)  # noqa: E731
    end = lambda: services.meeting_end(round_id=round_.pk, actor=lead)  # noqa: E731

    won, lost = winners_and_losers(race(start, start))
    assert len(won) == 1
    assert_refused(lost[0], ValidationError, "The reading period has already started.")

    racers = race(end, end)
    assert [r.error for r in racers] == [None, None]
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DISCUSSING
    seen = events(ready)
    assert (seen["reading_start"], seen["reading_over"]) == (1, 1)
    assert notified("reading_over") == {reviewers[0].pk: 1, reviewers[1].pk: 1, lead.pk: 1}


def test_launching_twice_at_once_launches_once(ready, lead, member, outsider):
    to_leadership(ready, lead, member, outsider)
    run_round(ready, lead, [(outsider, ReviewerRole.APPROVER, "approve", "")])
    today = date.today()
    launch = lambda: prfaq_services.proposal_launch(  # noqa: E731
        proposal_id=ready.pk, actor=lead, launched_on=today, review_on=today + timedelta(days=90)
    )

    won, lost = winners_and_losers(race(launch, launch))

    assert len(won) == 1
    assert_refused(lost[0], proposal_lifecycle.TransitionNotAllowed, "is launched")
    proposal = Proposal.objects.get(pk=ready.pk)
    assert (proposal.status, proposal.launched_on) == (Status.LAUNCHED, today)
    assert events(ready)["launch"] == 1


def test_reminders_and_resolving_queued_with_a_decision_never_deadlock(
    open_round, ready, lead, reviewers
):
    """A reviewer decides, the reminder sweep runs and the owner resolves a thread, all
    behind the owner's autosave: each goes in turn, none holds what another waits for."""
    round_ = open_round(choices(*reviewers[:2]), days=0.8)  # due within a day: reminders
    ana, ben = reviewers[:2]
    for user in (ana, ben):
        read(round_, user)
    comment = services.comment_create(
        round_id=round_.pk, author=ben, section="general", body="What does it cost?"
    )

    racers = queue_behind(
        Proposal.objects.filter(pk=ready.pk),
        decide(round_, ana, Decision.APPROVE),
        lambda: services.reminders_send(),
        lambda: services.comment_resolve(comment_id=comment.pk, user=lead),
    )

    assert [r.error for r in racers] == [None, None, None]
    assert Assignment.objects.get(round=round_, reviewer=ana).decision == Decision.APPROVE
    assert events(ready)["decide"] == 1
    assert notified("reminder", round_) == {ana.pk: 1, ben.pk: 1}  # ana had not decided yet
    comment.refresh_from_db()
    assert comment.resolved_by == lead


def test_no_reminder_for_a_decision_made_while_the_sweep_ran(open_round, reviewers):
    """The sweep lists Ana as undecided, then waits for her row while she decides."""
    round_ = open_round(choices(*reviewers[:2]), days=0.8)
    ana, ben = reviewers[:2]
    for user in (ana, ben):
        read(round_, user)

    deciding, reminding = queue_behind(
        Assignment.objects.filter(round=round_, reviewer=ana),
        decide(round_, ana, Decision.APPROVE),
        lambda: services.reminders_send(),
    )

    assert (deciding.error, reminding.error) == (None, None)
    assert reminding.result == 1
    assert notified("reminder", round_) == {ben.pk: 1}

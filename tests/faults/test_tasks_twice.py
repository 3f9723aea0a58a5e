"""Every task of ours, run twice, leaves what running it once left.

Brokers deliver at least once: a worker killed before it acknowledged, a beat tick
that fires twice, a retry after a lost reply. The tasks are read from the Celery app,
so a new task fails here until it has a scenario that makes it do real work.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

from prfaq import services
from prfaq.celery import app
from prfaq.models import Notification
from reviews import services as review_services
from reviews.models import Round
from tests.review_helpers import approve, write_strong

pytestmark = pytest.mark.django_db

app.autodiscover_tasks(force=True)  # discovery is lazy; register every task now
OURS = ("accounts.", "prfaq.", "reviews.")
TASKS = sorted(name for name in app.tasks if name.startswith(OURS))

# Rows a task never writes on purpose; the session and django-axes' bookkeeping.
UNTRACKED = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def state() -> tuple[dict[str, list[dict]], list[tuple]]:
    """Every row of every model, and every mail sent so far."""
    rows = {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.label_lower not in UNTRACKED
    }
    sent = [(m.to, m.subject, m.body) for m in mail.outbox]
    return rows, sent


# --- Scenarios: each builds real data that gives the task work, and returns its args ---


def pending_notification(people) -> tuple:
    notification = services.notification_enqueue(
        kind="test", to_email="twice@example.com", subject="Once", body="Only once."
    )
    return (notification.pk,)


def old_pending_notifications(people) -> tuple:
    for n in range(3):
        services.notification_enqueue(
            kind="test", to_email=f"sweep{n}@example.com", subject="Swept", body="Once."
        )
    Notification.objects.update(created=timezone.now() - timedelta(minutes=5))
    return ()


def outcome_review_due(people) -> tuple:
    team, lead, member, outsider = people
    proposal = services.proposal_create(team=team, owner=lead, title="Launched a while ago")
    write_strong(proposal, lead)
    approve(proposal, lead, member, outsider)
    services.proposal_launch(
        proposal_id=proposal.pk,
        actor=lead,
        launched_on=date.today() - timedelta(days=90),
        review_on=date.today(),
    )
    return ()


def meeting_reading_period_over(people) -> tuple:
    team, lead, member, _ = people
    proposal = services.proposal_create(team=team, owner=lead, title="Read in a meeting")
    write_strong(proposal, lead)
    round_ = review_services.round_open(
        proposal_id=proposal.pk, actor=lead, mode="meeting",
        due=timezone.now() + timedelta(days=3),
        reviewers=[review_services.ReviewerChoice(member.pk)],
    )  # fmt: skip
    review_services.meeting_start(round_id=round_.pk, actor=lead)
    Round.objects.filter(pk=round_.pk).update(reading_ends=timezone.now() - timedelta(minutes=1))
    return (round_.pk,)


def overdue_meeting_for_the_sweep(people) -> tuple:
    meeting_reading_period_over(people)
    return ()


def review_due_tomorrow(people) -> tuple:
    team, lead, member, _ = people
    proposal = services.proposal_create(team=team, owner=lead, title="Due tomorrow")
    write_strong(proposal, lead)
    round_ = review_services.round_open(
        proposal_id=proposal.pk, actor=lead, mode="async",
        due=timezone.now() + timedelta(days=3),
        reviewers=[review_services.ReviewerChoice(member.pk)],
    )  # fmt: skip
    Round.objects.filter(pk=round_.pk).update(due=timezone.now() + timedelta(hours=12))
    return ()


SCENARIOS: dict[str, Callable[[tuple], tuple]] = {
    "prfaq.tasks.notification_deliver": pending_notification,
    "prfaq.tasks.notifications_sweep": old_pending_notifications,
    "prfaq.tasks.outcome_reminders": outcome_review_due,
    "reviews.tasks.meeting_reading_over": meeting_reading_period_over,
    "reviews.tasks.rounds_sweep": overdue_meeting_for_the_sweep,
    "reviews.tasks.review_reminders": review_due_tomorrow,
}


def test_the_tasks_are_found():
    assert "prfaq.tasks.notification_deliver" in TASKS
    assert "reviews.tasks.rounds_sweep" in TASKS


@pytest.mark.parametrize("name", TASKS)
def test_running_a_task_twice_leaves_the_same_state(
    name, team, lead, member, outsider, django_capture_on_commit_callbacks
):
    scenario = SCENARIOS.get(name)
    if scenario is None:
        pytest.fail(f"{name} has no scenario here: add one that gives it real work")
    args = scenario((team, lead, member, outsider))
    mail.outbox.clear()
    task = app.tasks[name]

    def run() -> None:
        # As in production: what the task queues after its commit runs too.
        with django_capture_on_commit_callbacks(execute=True):
            task.apply(args=args, throw=True)

    before = state()
    run()
    once = state()
    assert once != before, f"{name} did nothing, so this proves nothing"
    run()
    assert state() == once, f"running {name} again changed what it had done"

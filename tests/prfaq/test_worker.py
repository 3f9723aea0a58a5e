"""Tasks through a real Celery worker and the real Redis broker (CI's second run).

Without REDIS_URL, Celery runs tasks eagerly and the rest of the suite covers them;
this module then has nothing real to talk to and skips.
"""

import os
import time

import pytest
from django.core import mail
from django.urls import reverse

from prfaq.celery import app
from prfaq.models import Notification, NotificationStatus

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL and Redis"),
]


@pytest.fixture
def celery_worker(settings):
    from celery.contrib.testing.worker import start_worker

    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


def wait_for(predicate, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_invitation_email_goes_through_redis_and_a_worker(celery_worker, login, team, lead):
    response = login(lead).post(
        reverse("team-invite", args=[team.slug]),
        {"email": "via-worker@example.com", "role": "member"},
    )
    assert response.status_code == 302
    # The request returned before the mail was sent: the worker sends it.
    assert wait_for(lambda: len(mail.outbox) == 1), "the worker never sent the invitation"
    assert mail.outbox[0].to == ["via-worker@example.com"]
    notification = Notification.objects.get(kind="invitation")
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_password_reset_email_goes_through_the_worker(celery_worker, client, member):
    response = client.post(reverse("password_reset"), {"email": member.email})
    assert response.status_code == 302
    assert wait_for(lambda: len(mail.outbox) == 1), "the worker never sent the reset email"
    assert "/accounts/reset/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_notification_queued_while_the_broker_was_down_is_swept_once(celery_worker, settings):
    from prfaq import services, tasks

    # As if the broker had refused the task: the row is pending, no message was queued.
    notification = Notification.objects.create(
        kind="test", to_email="late@example.com", subject="S", body="B"
    )
    Notification.objects.filter(pk=notification.pk).update(
        created=notification.created - services.timedelta(minutes=5)
    )
    tasks.notifications_sweep.delay()
    assert wait_for(lambda: len(mail.outbox) == 1)
    tasks.notifications_sweep.delay()
    tasks.notification_deliver.delay(notification.pk)
    time.sleep(1)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_round_opened_notifications_are_delivered_once_by_the_worker(celery_worker, team, lead):
    import copy
    from datetime import timedelta

    from django.utils import timezone

    from prfaq import document, services
    from prfaq.demo_content import DEMO_PROPOSALS
    from reviews import services as review_services
    from tests.factories import MembershipFactory
    from tests.prfaq.helpers import save_step

    reviewer = MembershipFactory(team=team).user
    proposal = services.proposal_create(team=team, owner=lead, title="Worker round")
    content = copy.deepcopy(DEMO_PROPOSALS[0]["document"])
    for step in document.STEPS:
        save_step(proposal, lead, step.key, content[step.key])
    review_services.round_open(
        proposal_id=proposal.pk, actor=lead, mode="async",
        due=timezone.now() + timedelta(days=3),
        reviewers=[review_services.ReviewerChoice(reviewer.pk)],
    )  # fmt: skip
    assert wait_for(lambda: any(reviewer.email in m.to for m in mail.outbox))
    time.sleep(1)
    assert sum(reviewer.email in m.to for m in mail.outbox) == 1
    assert Notification.objects.get(kind="round_opened").status == NotificationStatus.SENT

"""A Celery worker killed in the middle of a task: the task runs again, exactly once.

Each test starts real `celery -A prfaq worker` processes on a private Redis and queue,
with the real SMTP mail backend pointed at a small SMTP server of the test's own. That
server holds the first session without a greeting, so the worker is caught inside
`notification_deliver`, between locking the outbox row and sending. Then it is killed.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.db import transaction

from prfaq import services
from prfaq.celery import app
from prfaq.models import Notification, NotificationStatus
from tests.faults.support import (
    WorkerProcess,
    celery_broker,
    require_postgresql,
    wait_for,
    worker_env,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue() -> str:
    """The queue tasks are sent to; on our private Redis no one else reads it."""
    require_postgresql()
    return app.conf.task_default_queue


def mail_env(smtp_server) -> dict[str, str]:
    return {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }


def enqueue(redis_server) -> Notification:
    """As a request does: the outbox row commits, then its delivery task is queued."""
    with celery_broker(redis_server.url), transaction.atomic():
        return services.notification_enqueue(
            kind="test", to_email="once@example.com", subject="Exactly once", body="Hello."
        )


def in_flight(redis_server, smtp_server, queue: str) -> None:
    """The worker has taken the message (unacknowledged) and is stuck sending it."""
    assert wait_for(lambda: smtp_server.sessions == 1), "the task never reached the mail server"
    with redis_server.client() as broker:
        assert broker.llen(queue) == 0
        assert broker.hlen("unacked") == 1


def delivered_once(redis_server, smtp_server, queue: str, notification: Notification) -> None:
    assert wait_for(lambda: smtp_server.messages), "the task was not run again"
    with redis_server.client() as broker:
        # Drained: nothing queued and nothing unacknowledged that could still run.
        assert wait_for(lambda: not broker.llen(queue) and not broker.hlen("unacked"))
    assert len(smtp_server.messages) == 1
    assert b"Subject: Exactly once" in smtp_server.messages[0]
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    # The killed attempt's work rolled back with its transaction; one attempt counts.
    assert notification.attempts == 1


def test_a_killed_worker_s_task_is_redelivered_after_the_visibility_timeout(
    queue, redis_server, smtp_server, tmp_path
):
    """The whole worker dies (OOM killer, lost machine): nothing gives the message
    back, so Redis hands it out again once it has been unacked for visibility_timeout
    (CELERY_VISIBILITY_TIMEOUT, shortened here) and another worker runs it."""
    env = worker_env(
        redis_url=redis_server.url,
        queue=queue,
        CELERY_VISIBILITY_TIMEOUT="2",
        **mail_env(smtp_server),
    )
    first = WorkerProcess(tmp_path / "first.log", env, queue)
    second = WorkerProcess(tmp_path / "second.log", env, queue)
    try:
        first.start()
        smtp_server.hold()
        notification = enqueue(redis_server)
        in_flight(redis_server, smtp_server, queue)
        with redis_server.client() as broker:
            [(_, taken_at)] = broker.zrange("unacked_index", 0, -1, withscores=True)

        first.kill()
        smtp_server.release()
        notification.refresh_from_db()
        assert (notification.status, notification.attempts) == (NotificationStatus.PENDING, 0)
        assert smtp_server.messages == []

        # A worker restores messages unacked for longer than the timeout when it starts
        # polling; start the next one once that is true of ours.
        time.sleep(max(0.0, taken_at + 2.5 - time.time()))
        second.start()
        delivered_once(redis_server, smtp_server, queue, notification)
    finally:
        first.stop()
        second.stop()


def test_a_killed_pool_process_s_task_is_requeued_at_once(
    queue, redis_server, smtp_server, tmp_path
):
    """A prefork pool process dies mid-task: the worker sees it (REJECT_ON_WORKER_LOST)
    and puts the message back at once. The visibility timeout stays at its production
    default of hours, so only that path can bring the task back within the test."""
    env = worker_env(redis_url=redis_server.url, queue=queue, **mail_env(smtp_server))
    env.pop("CELERY_VISIBILITY_TIMEOUT", None)
    worker = WorkerProcess(tmp_path / "worker.log", env, queue, pool="prefork")
    try:
        worker.start()
        smtp_server.hold()
        notification = enqueue(redis_server)
        in_flight(redis_server, smtp_server, queue)

        [child] = worker.children()
        os.kill(child, signal.SIGKILL)
        smtp_server.release()
        delivered_once(redis_server, smtp_server, queue, notification)
        assert "WorkerLostError" in worker.output()
    finally:
        worker.stop()

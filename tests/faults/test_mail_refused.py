"""The mail server turns a delivery away: the task retries after a backoff, and the
message is sent once, to a real SMTP server of the test's own."""

from __future__ import annotations

import pytest
from celery import signals

from prfaq import services, tasks
from prfaq.models import NotificationStatus

pytestmark = pytest.mark.django_db


def test_a_refused_delivery_is_retried_after_a_backoff_and_sent_once(settings, smtp_server):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "127.0.0.1",
                "port": smtp_server.port,
                "use_tls": False,
                "timeout": 5,
            },
        }
    }
    smtp_server.refusals = 1
    notification = services.notification_enqueue(
        kind="test", to_email="retry@example.com", subject="After a retry", body="Hello."
    )
    retries = []

    def on_retry(sender, reason, **kwargs):
        retries.append(reason.when)

    signals.task_retry.connect(on_retry, weak=False)
    try:
        # Run here, eagerly: Celery runs the retry at once rather than after its wait.
        result = tasks.notification_deliver.apply(args=[notification.pk], throw=False)
    finally:
        signals.task_retry.disconnect(on_retry)

    assert result.get() is True
    # One retry, scheduled within the first backoff step (30 s, with jitter).
    assert len(retries) == 1
    assert 0 <= retries[0] <= 30
    assert smtp_server.sessions == 2
    assert len(smtp_server.messages) == 1
    assert b"Subject: After a retry" in smtp_server.messages[0]
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 2  # the refusal counted, then the retry sent it
    assert notification.last_error == ""

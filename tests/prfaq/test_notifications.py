import smtplib

import pytest

from prfaq import services, tasks
from prfaq.models import Notification, NotificationStatus

pytestmark = pytest.mark.django_db


def test_enqueued_notification_is_sent_once_even_if_delivered_twice(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notification_enqueue(
            kind="test", to_email="a@example.com", subject="Hi", body="Body"
        )
    assert len(mailoutbox) == 1
    assert services.notification_deliver(notification_id=notification.pk) is False
    tasks.notifications_sweep()
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 1


def test_rolled_back_change_sends_nothing(mailoutbox):
    from django.db import transaction

    def failing_change():
        with transaction.atomic():
            services.notification_enqueue(
                kind="test", to_email="a@example.com", subject="S", body="B"
            )
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_mail_outage_is_recorded_and_the_sweep_delivers_later(settings, mailoutbox, monkeypatch):
    notification = Notification.objects.create(
        kind="test", to_email="b@example.com", subject="S", body="B"
    )
    calls = {"n": 0}
    real_send = services.send_mail

    def flaky_send(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise smtplib.SMTPServerDisconnected("mail server went away")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(services, "send_mail", flaky_send)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert "went away" in notification.last_error

    Notification.objects.filter(pk=notification.pk).update(
        created=notification.created - services.timedelta(minutes=5)
    )
    assert tasks.notifications_sweep() == 1
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT


def test_send_notifications_command_sweeps_the_outbox(mailoutbox):
    import io

    from django.core.management import call_command

    notification = Notification.objects.create(
        kind="test", to_email="c@example.com", subject="S", body="B"
    )
    Notification.objects.filter(pk=notification.pk).update(
        created=notification.created - services.timedelta(minutes=5)
    )
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert out.getvalue().strip() == "Sent 1 pending notification."
    assert [m.to for m in mailoutbox] == [["c@example.com"]]

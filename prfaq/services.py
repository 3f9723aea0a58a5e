"""Every write in the proposal domain. See STYLE: atomic, row-locked, side effects on commit."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from prfaq.models import Notification, NotificationStatus

logger = logging.getLogger(__name__)

MAX_DELIVERY_ATTEMPTS = 10


def _dispatch_notification(notification_id: int) -> None:
    """Hand a notification to Celery; if the broker is down the sweep picks it up later."""
    from prfaq.tasks import notification_deliver

    try:
        notification_deliver.delay(notification_id)
    except Exception:
        logger.warning(
            "Could not queue notification %s now; the sweep will retry it.",
            notification_id,
            exc_info=True,
        )


def notification_enqueue(
    *,
    kind: str,
    to_email: str,
    subject: str,
    body: str,
    user_id: int | None = None,
) -> Notification:
    """Write a notification to the outbox and queue its delivery after commit.

    Call inside the transaction of the change that causes it: if that change rolls
    back, no message exists and none is sent.
    """
    notification = Notification.objects.create(
        kind=kind,
        to_email=to_email,
        user_id=user_id,
        subject=subject[:200],
        body=body,
    )
    transaction.on_commit(lambda: _dispatch_notification(notification.pk))
    return notification


def notification_deliver(*, notification_id: int) -> bool:
    """Send one pending notification and mark it sent. Returns True if it was sent now.

    Idempotent: the row is locked while sending, and a notification already sent (or
    gone) is left alone, so a retried or duplicated task sends nothing twice. A mail
    error is counted on the row, then raised so the task can retry with backoff.
    """
    error: Exception | None = None
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != NotificationStatus.PENDING:
            return False
        notification.attempts += 1
        try:
            send_mail(
                notification.subject,
                notification.body,
                settings.DEFAULT_FROM_EMAIL,
                [notification.to_email],
            )
        except Exception as exc:
            error = exc
            notification.last_error = str(exc)[:2000]
        else:
            notification.status = NotificationStatus.SENT
            notification.sent = timezone.now()
            notification.last_error = ""
        notification.save(update_fields=["status", "sent", "attempts", "last_error"])
    if error is not None:
        raise error
    return True


def notifications_pending_ids(*, older_than: timedelta = timedelta(minutes=1)) -> list[int]:
    """Ids of notifications still pending after `older_than`, oldest first."""
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(
            status=NotificationStatus.PENDING,
            created__lte=cutoff,
            attempts__lt=MAX_DELIVERY_ATTEMPTS,
        )
        .order_by("created")
        .values_list("pk", flat=True)[:500]
    )

"""Celery tasks for the proposal domain: take ids, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from prfaq import services


@shared_task(
    autoretry_for=(OSError, ConnectionError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=8,
)
def notification_deliver(notification_id: int) -> bool:
    return services.notification_deliver(notification_id=notification_id)


@shared_task
def notifications_sweep() -> int:
    """Deliver whatever the outbox still holds (broker was down, a task was lost)."""
    sent = 0
    for notification_id in services.notifications_pending_ids():
        try:
            sent += services.notification_deliver(notification_id=notification_id)
        except Exception:  # noqa: S112 - counted on the row; the next sweep retries it
            continue
    return sent


@shared_task
def outcome_reminders() -> int:
    """Tell owners and approvers when an outcome review date arrives (once)."""
    return services.outcome_reminders_send()

"""Celery tasks for reviews: take ids, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from reviews import services
from reviews.lifecycle import RoundStatus
from reviews.models import Mode, Round


@shared_task
def meeting_reading_over(round_id: int) -> None:
    """Scheduled for the end of a meeting's reading period; a no-op if not yet due."""
    services.meeting_end(round_id=round_id)


@shared_task
def rounds_sweep() -> int:
    """End every meeting reading period whose time is up (a missed task, a restart)."""
    overdue = Round.objects.filter(
        mode=Mode.MEETING, status=RoundStatus.READING, reading_ends__lte=timezone.now()
    ).values_list("pk", flat=True)
    for round_id in overdue:
        services.meeting_end(round_id=round_id)
    return len(overdue)


@shared_task
def review_reminders() -> int:
    return services.reminders_send()

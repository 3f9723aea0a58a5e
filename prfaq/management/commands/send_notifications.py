"""Deliver what the notification outbox still holds: for setups without Celery beat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from prfaq.tasks import notifications_sweep


class Command(BaseCommand):
    help = "Send pending notifications (the same sweep beat runs every two minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = notifications_sweep()
        self.stdout.write(f"Sent {sent} pending notification{'s' if sent != 1 else ''}.")

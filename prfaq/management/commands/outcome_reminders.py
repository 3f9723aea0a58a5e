"""Send outcome-review reminders that are due: for setups without Celery beat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from prfaq.tasks import outcome_reminders


class Command(BaseCommand):
    help = "Remind owners and approvers of outcome reviews that are due (each once)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Sent {outcome_reminders()} outcome review reminder(s).")

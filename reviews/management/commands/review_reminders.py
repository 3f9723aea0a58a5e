"""Send due-tomorrow reminders and end overdue reading periods: for setups without beat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reviews.tasks import review_reminders, rounds_sweep


class Command(BaseCommand):
    help = "Remind undecided reviewers a day before a round is due (once), end overdue readings."

    def handle(self, *args: Any, **options: Any) -> None:
        ended = rounds_sweep()
        sent = review_reminders()
        self.stdout.write(f"Sent {sent} reminder(s); ended {ended} reading period(s).")

"""Restore a proposal written by export_proposal: all of it, or nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prfaq import backup


class Command(BaseCommand):
    help = (
        "Import a proposal exported by export_proposal. Users and the team are matched by "
        "email and slug; new users get no password until they reset it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The JSON file, or - for standard input.")
        parser.add_argument(
            "--add-members",
            action="store_true",
            help="If the team exists here, add the file's members it lacks (with the file's "
            "roles) instead of refusing. Needed to restore several proposals of one team.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
            data = json.loads(text)
        except OSError as exc:
            raise CommandError(f"Cannot read {name}: {exc.strerror or exc}.") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{name} is not a JSON document: {exc}.") from exc
        try:
            proposal, created = backup.proposal_import(
                data=data, add_members=options["add_members"]
            )
        except backup.ImportRefused as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        self.stdout.write(
            f"Imported proposal {proposal.pk} ({proposal.title}) into team {proposal.team.slug}."
        )
        if created:
            self.stdout.write(
                f"{created} new user(s) have no password yet: they sign in after "
                "'Forgot your password?'."
            )

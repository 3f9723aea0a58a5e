"""Write one proposal and everything hanging off it as JSON (see prfaq/backup.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prfaq import backup
from prfaq.models import Proposal


class Command(BaseCommand):
    help = (
        "Export a proposal with all its revisions, rounds, comments, decisions, contract "
        "versions, metrics and readings as JSON, for import_proposal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("proposal_id", type=int, help="The proposal's id (in its URL).")
        parser.add_argument(
            "--output", "-o", metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = backup.proposal_export(proposal_id=options["proposal_id"])
        except Proposal.DoesNotExist as exc:
            raise CommandError(f"There is no proposal {options['proposal_id']}.") from exc
        text = backup.dumps(data)
        output = options["output"]
        if not output:
            self.stdout.write(text, ending="")
            return
        # Write beside the target and rename, so a failed export never leaves half a file.
        target = Path(output)
        fd, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stderr.write(
            f"Exported proposal {options['proposal_id']} ({data['proposal']['title']}) to {target}."
        )

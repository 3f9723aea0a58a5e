"""Start a proposal from a PR/FAQ written elsewhere (Markdown or plain text)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Membership, Team, User
from prfaq import document, importing, services


class Command(BaseCommand):
    help = (
        "Import a PR/FAQ from a Markdown or text file as a new proposal. Each part goes "
        "where it was detected; what fits no field is kept as the proposal's Unplaced text. "
        "To choose placements by hand, use the import page instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The Markdown or text file.")
        parser.add_argument("--team", required=True, help="The team's slug.")
        parser.add_argument("--owner", required=True, help="The owner's email; a team member.")
        parser.add_argument("--title", help="The proposal's title (default: from the document).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                data = handle.read(importing.MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
        team = Team.objects.filter(slug=options["team"]).first()
        if team is None:
            raise CommandError(f"No team with the slug {options['team']!r}.")
        owner = User.objects.filter(email__iexact=options["owner"].strip()).first()
        if owner is None:
            raise CommandError(f"No user with the email {options['owner']!r}.")
        if not Membership.objects.filter(team=team, user=owner).exists():
            raise CommandError(f"{owner.email} is not a member of {team.slug}.")
        try:
            reading = importing.read(importing.decode(data))
        except importing.UnreadableDocument as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        assembled = importing.assemble(reading)
        if assembled.errors:
            raise CommandError("Nothing was imported. " + " ".join(assembled.errors))
        title = options["title"] or reading.title or path.stem.replace("-", " ").replace("_", " ")
        try:
            proposal = services.proposal_import(
                team=team,
                owner=owner,
                title=title,
                content=assembled.content,
                unplaced=assembled.unplaced,
            )
        except ValidationError as exc:
            raise CommandError("Nothing was imported. " + " ".join(exc.messages)) from exc

        content = document.normalized(assembled.content)
        entries = content["faq"]["entries"]
        filled = [s.title for s in document.STEPS if s.title not in assembled.missing]
        self.stdout.write(f"Imported proposal {proposal.pk} ({proposal.title}) into {team.slug}.")
        self.stdout.write(f"Memo: {proposal.get_absolute_url()}")
        self.stdout.write(f"Complete: {', '.join(filled) or 'none'}")
        self.stdout.write(f"Missing: {', '.join(assembled.missing) or 'none'}")
        self.stdout.write(
            f"FAQ: {sum(e['audience'] == 'external' for e in entries)} external, "
            f"{sum(e['audience'] == 'internal' for e in entries)} internal. "
            f"Metrics: {len(content['benefit']['metrics'])}."
        )
        self.stdout.write(f"Unplaced text: {len(assembled.unplaced):,} characters.")
        for message in reading.messages:
            self.stdout.write(f"Note: {message}")

"""manage.py import_prfaq: a file in, a proposal out, or a clear refusal."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from prfaq import importing
from prfaq.models import Proposal
from tests.prfaq.test_import_pages import SOURCE

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("import_prfaq", *args, stdout=out)
    return out.getvalue()


def test_imports_a_file_with_the_detected_placements(tmp_path, team, lead):
    path = tmp_path / "slot-holds.md"
    path.write_text(SOURCE, encoding="utf-8")
    out = run(str(path), "--team", team.slug, "--owner", lead.email.upper())
    proposal = Proposal.objects.get()
    assert proposal.owner == lead
    assert proposal.team == team
    assert proposal.title == "Hold the delivery slot"
    assert f"Memo: /proposals/{proposal.pk}/" in out
    reading = importing.read(SOURCE)
    assembled = importing.assemble(reading)
    assert proposal.current_revision.content == assembled.content
    assert proposal.unplaced_text == assembled.unplaced.strip("\n")
    assert f"Missing: {', '.join(assembled.missing)}" in out
    assert "Complete: FAQ" in out
    assert "FAQ: 1 external, 1 internal. Metrics: 1." in out
    assert f"Unplaced text: {len(assembled.unplaced):,} characters." in out
    for message in reading.messages:
        assert f"Note: {message}" in out


def test_title_option_overrides_the_document(tmp_path, team, lead):
    path = tmp_path / "doc.txt"
    path.write_text(SOURCE, encoding="utf-8")
    run(str(path), "--team", team.slug, "--owner", lead.email, "--title", "Slot holds")
    assert Proposal.objects.get().title == "Slot holds"


def test_refusals_import_nothing(tmp_path, team, lead, outsider):
    good = tmp_path / "good.md"
    good.write_text(SOURCE, encoding="utf-8")
    binary = tmp_path / "scan.md"
    binary.write_bytes(b"%PDF-1.7\n\x00\x01")
    latin = tmp_path / "latin.md"
    latin.write_bytes("Café au lait\n".encode("latin-1"))
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    huge = tmp_path / "huge.md"
    huge.write_bytes(b"word " * (importing.MAX_BYTES // 5 + 1))
    cases = [
        ((str(tmp_path / "missing.md"), "--team", team.slug, "--owner", lead.email), "Cannot read"),
        ((str(good), "--team", "nope", "--owner", lead.email), "No team"),
        ((str(good), "--team", team.slug, "--owner", "nobody@example.com"), "No user"),
        ((str(good), "--team", team.slug, "--owner", outsider.email), "not a member"),
        ((str(binary), "--team", team.slug, "--owner", lead.email), "PDF"),
        ((str(latin), "--team", team.slug, "--owner", lead.email), "UTF-8"),
        ((str(empty), "--team", team.slug, "--owner", lead.email), "empty"),
        ((str(huge), "--team", team.slug, "--owner", lead.email), "limit"),
        (
            (str(good), "--team", team.slug, "--owner", lead.email, "--title", "Two\nlines"),
            "one line",
        ),
    ]
    for args, message in cases:
        with pytest.raises(CommandError, match=message):
            run(*args)
    assert Proposal.objects.count() == 0


def test_errors_from_assembling_are_refused(tmp_path, team, lead, monkeypatch):
    real = importing.assemble

    def with_error(reading, choices=None):
        assembled = real(reading, choices)
        assembled.errors.append("Too many FAQ entries.")
        return assembled

    monkeypatch.setattr(importing, "assemble", with_error)
    path = tmp_path / "doc.md"
    path.write_text(SOURCE, encoding="utf-8")
    with pytest.raises(CommandError, match=r"Too many FAQ entries\."):
        run(str(path), "--team", team.slug, "--owner", lead.email)
    assert Proposal.objects.count() == 0

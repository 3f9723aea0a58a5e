"""Importing an existing PR/FAQ in real Chromium: paste, move a part, create, read it."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from prfaq import importing
from prfaq.models import Proposal
from tests.prfaq.test_import_pages import SOURCE

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOT = Path(tempfile.gettempdir()) / "import-preview.png"


def test_paste_move_a_part_and_create(page, live_server, signed_in, team, lead, console_errors):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    signed_in(page.context, lead)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/proposals/new/")
    page.get_by_label("Or paste the text").fill(SOURCE)
    page.get_by_role("button", name="Preview the import").click()

    expect(page.get_by_role("heading", name="Check where each part goes")).to_be_visible()
    page.wait_for_load_state("load")
    assert Proposal.objects.count() == 0
    reading = importing.read(SOURCE)
    expect(page.locator(".import-block")).to_have_count(len(reading.blocks))
    expect(page.get_by_label("Title")).to_have_value(reading.title)
    # Markup in the document is text on the page, and nothing of it runs.
    expect(page.locator(".import-blocks")).to_contain_text("<script>alert('evil-import')</script>")
    # caret="initial": hiding the caret leaves style="" on inputs, which htmx's settle
    # would copy onto the swapped-in form, and the CSP would refuse it.
    page.screenshot(path=str(SCREENSHOT), full_page=True, caret="initial")

    # The paragraph the importer put in the press release belongs to the problem step.
    problem = next(b for b in reading.blocks if b.source.startswith("Today customers"))
    select = page.locator(f"#id_put-{problem.index}")
    select.select_option("problem.statement")
    page.get_by_role("button", name="Update preview").click()
    expect(page.locator(f"#block-{problem.index}")).to_have_class(re.compile("is-changed"))
    expect(page.locator(f"#id_put-{problem.index}")).to_have_value("problem.statement")
    summary = page.locator(".import-summary__step").filter(
        has=page.locator("strong", has_text=re.compile("^Problem$"))
    )
    expect(summary).to_contain_text("filled")
    assert Proposal.objects.count() == 0

    page.get_by_label("Title").fill("Slot holds")
    page.get_by_role("button", name="Create proposal").click()
    expect(page.locator(".memo-toolbar__title")).to_have_text("Slot holds")
    expect(page.locator(".messages")).to_contain_text("Imported. Still to write:")
    expect(page.locator(".memo")).to_contain_text("Today customers lose their slot")
    proposal = Proposal.objects.get()
    content = proposal.current_revision.content
    assert content["problem"]["statement"].startswith("Today customers lose their slot")
    assert content["press_release"]["problem"] == ""

    # The unplaced notes sit beside the memo, as text, and can be cleared.
    note = page.locator("#unplaced")
    note.locator("summary").click()
    expect(note).to_contain_text("<script>alert('evil-import')</script>")
    note.get_by_role("button", name="Clear it").click()
    expect(page.locator(".messages")).to_contain_text("unplaced text from the import was cleared")
    expect(page.locator("#unplaced")).to_have_count(0)
    assert dialogs == []
    assert console_errors == []

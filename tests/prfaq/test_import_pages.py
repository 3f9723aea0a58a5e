"""Importing an existing PR/FAQ: the page, the preview, creating, and the Unplaced text."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prfaq import document, importing, lifecycle, services
from prfaq.models import Event, Proposal
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.prfaq.test_sanitizing import PAYLOAD, Inspector

pytestmark = pytest.mark.django_db

URL = "/proposals/import/"

SOURCE = """# PR/FAQ: Hold the delivery slot

## Press release

### Harbour Market holds your delivery slot while you shop

**Subheading:** Evening shoppers keep the slot they chose.

LONDON — March 3, 2027 — Harbour Market today launched slot holds, so customers keep
their slot while they fill the basket.

Today customers lose their slot by the time they pay.

## Customer FAQ

**How much does it cost?**
Nothing: holds are free.

## Internal FAQ

**Why now?**
Evening demand doubled.

## Success metrics

- Orders delivered in the chosen slot: from 62% to 95% by 2027-06-30

## Notes

Call the pilot stores on Monday <script>alert('evil-import')</script> & "check" stock.
"""


def block_index(source: str, starts: str) -> int:
    """The index of the block whose text starts with `starts`, as the importer reads it."""
    reading = importing.read(source)
    return next(b.index for b in reading.blocks if b.source.lstrip("#* ").startswith(starts))


def preview_data(team, source=SOURCE, title="Hold the delivery slot", **choices):
    reading = importing.read(source)
    data = {"source": source, "title": title, "team": team.pk}
    data.update({f"put-{b.index}": b.target for b in reading.blocks})
    data.update(choices)
    return data


def hidden_source(response) -> str:
    match = re.search(r'<input type="hidden" name="source" value="([^"]*)"', response.text)
    assert match, "the preview carries the source"
    return html.unescape(match.group(1))


def selected(response, name: str) -> str:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', response.text, re.S)
    assert select, name
    chosen = re.findall(r'<option value="([^"]*)" selected>', select.group(1))
    assert len(chosen) == 1, chosen
    return chosen[0]


def test_new_proposal_page_offers_the_import_and_the_import_page_serves(login, lead, team, hx):
    client = login(lead)
    page = client.get(reverse("proposal-new"), **hx)
    assert page.status_code == 200
    assert "Start from an existing PR/FAQ" in page.text
    assert f'action="{URL}"' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert 'accept=".md,.markdown,.txt,text/markdown,text/plain"' in page.text
    assert page.text.count('id="id_team"') == 1  # two forms, no repeated ids
    response = client.get(URL, **hx)
    assert response.status_code == 200
    assert "Preview the import" in response.text
    assert f'<option value="{team.pk}"' in response.text


def test_paste_shows_the_preview_and_saves_nothing(login, lead, team, hx):
    client = login(lead)
    before = Proposal.objects.count()
    response = client.post(URL, {"text": SOURCE, "team": team.pk}, **hx)
    assert response.status_code == 200
    assert Proposal.objects.count() == before
    text = response.text
    assert "Check where each part goes" in text
    assert 'value="Hold the delivery slot"' in text  # the suggested title
    assert hidden_source(response) == SOURCE
    reading = importing.read(SOURCE)
    positions = []
    for block in reading.blocks:
        assert selected(response, f"put-{block.index}") == block.target
        assert f'id="block-{block.index}"' in text
        positions.append(text.index(f'id="block-{block.index}"'))
        assert html.escape(block.reason, quote=False) in text or block.reason in text
    assert positions == sorted(positions), "blocks in document order"
    assert "confidence--sure" in text
    assert "confidence--guess" in text
    for message in reading.messages:
        assert html.escape(message) in text
    # The summary: missing steps flagged, counts of FAQ entries and metrics.
    assert "What the proposal will hold" in text
    assert "flagged as missing for you to write" in text
    assert "MISSING" in text
    assert "filled" in text
    assert re.search(r"External questions <span[^>]*>1</span>", text)
    assert re.search(r"Internal questions <span[^>]*>1</span>", text)
    assert re.search(r"Success metrics <span[^>]*>1</span>", text)
    assert "Unplaced text:</strong>" in text
    if hx:
        assert "<html" not in text  # the region only


def test_update_preview_keeps_the_authors_choices(login, lead, team, hx):
    client = login(lead)
    problem = block_index(SOURCE, "Today customers")
    notes = [block_index(SOURCE, "Notes"), block_index(SOURCE, "Call the pilot")]
    data = preview_data(
        team,
        **{f"put-{problem}": "problem.statement"},
        **{f"put-{i}": importing.DROP for i in notes},
    )
    response = client.post(URL, {**data, "action": "update"}, **hx)
    assert response.status_code == 200
    assert Proposal.objects.count() == 0
    assert selected(response, f"put-{problem}") == "problem.statement"
    assert selected(response, f"put-{notes[1]}") == importing.DROP
    assert hidden_source(response) == SOURCE
    # The summary follows the choices: the notes are left out, the problem is filled.
    assert "No unplaced text" in response.text
    assert re.search(r"in the customer&#x27;s words <span[^>]*>filled</span>", response.text)
    detected = client.post(URL, {**preview_data(team), "action": "update"}, **hx)
    assert re.search(r"in the customer&#x27;s words <span[^>]*>MISSING</span>", detected.text)


def test_create_makes_the_proposal_with_the_text_where_chosen(login, lead, member, team, hx):
    client = login(lead)
    problem = block_index(SOURCE, "Today customers")
    data = preview_data(team, title="  Slot holds  ", **{f"put-{problem}": "problem.statement"})
    response = client.post(URL, {**data, "action": "create"}, **hx)
    proposal = Proposal.objects.get()
    memo = reverse("proposal-memo", args=[proposal.pk])
    if hx:
        assert response.status_code == 200
        assert response["HX-Redirect"] == memo
    else:
        assert response.status_code == 302
        assert response["Location"] == memo
    assert proposal.title == "Slot holds"
    assert proposal.owner == lead
    assert proposal.team == team
    assert proposal.status == lifecycle.Status.DRAFTING
    revision = proposal.current_revision
    assert revision.number == 1
    assert revision.author == lead
    content = revision.content
    assert content["problem"]["statement"].startswith("Today customers lose their slot")
    assert content["press_release"]["problem"] == ""
    assert content["press_release"]["headline"].startswith("Harbour Market holds")
    assert [e["audience"] for e in content["faq"]["entries"]] == ["external", "internal"]
    assert content["benefit"]["metrics"][0]["target"] == "95"
    assert revision.content_hash == document.content_hash(content)
    assert "problem.statement" in revision.rendered
    assert "problem" in revision.steps_touched
    assert "Call the pilot stores" in proposal.unplaced_text
    assert "Slot holds" in proposal.search_text or "Harbour" in proposal.search_text
    event = Event.objects.get(proposal=proposal)
    assert event.action == "create"
    assert "Imported" in event.note

    # The success message names the steps still to write.
    page = client.get(memo)
    assert "Imported. Still to write: Customer" in page.text
    # The note shows, as text, on the memo and beside every step editor, to members too.
    for user in (lead, member):
        viewer = login(user)
        for url in (memo, reverse("proposal-step", args=[proposal.pk, "customer"])):
            page = viewer.get(url, **hx)
            assert "Unplaced text from the import" in page.text, url
            assert "Call the pilot stores on Monday" in page.text
            assert "&lt;script&gt;alert(&#x27;evil-import&#x27;)&lt;/script&gt;" in page.text
            assert "<script>alert('evil-import')" not in page.text
            assert reverse("proposal-unplaced-clear", args=[proposal.pk]) in page.text


def test_clearing_the_note_is_for_those_who_may_edit(login, lead, member, team, outsider):
    proposal = services.proposal_import(
        team=team, owner=lead, title="Imported", content={}, unplaced="Spare text"
    )
    url = reverse("proposal-unplaced-clear", args=[proposal.pk])
    memo = reverse("proposal-memo", args=[proposal.pk])
    staff = UserFactory(is_staff=True)

    assert login(outsider).post(url).status_code == 404
    assert login(staff).post(url).status_code == 403  # staff outside the team read only
    assert login(member).get(url).status_code == 405
    assert Proposal.objects.get(pk=proposal.pk).unplaced_text == "Spare text"
    # Staff see the note but no button.
    page = login(staff).get(memo)
    assert "Spare text" in page.text
    assert url not in page.text

    # Any member who may edit clears it; `next` brings them back, but only to this site.
    step = reverse("proposal-step", args=[proposal.pk, "problem"])
    response = login(member).post(url, {"next": step})
    assert response.status_code == 302
    assert response["Location"] == step
    assert Proposal.objects.get(pk=proposal.pk).unplaced_text == ""
    assert "Unplaced text from the import" not in login(member).get(memo).text
    response = login(member).post(url, {"next": "https://evil.example/"})
    assert response["Location"] == memo

    # Once the proposal can no longer change, nobody clears it.
    services.proposal_import(team=team, owner=lead, title="Two", content={}, unplaced="x")
    other = Proposal.objects.get(title="Two")
    services.proposal_withdraw(proposal_id=other.pk, actor=lead, note="")
    clear = reverse("proposal-unplaced-clear", args=[other.pk])
    assert login(lead).post(clear).status_code == 403
    assert Proposal.objects.get(pk=other.pk).unplaced_text == "x"


def test_clear_answers_htmx_with_a_client_redirect(login, lead, team):
    proposal = services.proposal_import(
        team=team, owner=lead, title="Imported", content={}, unplaced="Spare text"
    )
    url = reverse("proposal-unplaced-clear", args=[proposal.pk])
    response = login(lead).post(url, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("proposal-memo", args=[proposal.pk])


def test_outsider_cannot_import_into_another_team(login, outsider, team, hx):
    client = login(outsider)
    response = client.post(URL, {"text": SOURCE, "team": team.pk}, **hx)
    assert response.status_code == 200
    assert "Choose one of your teams." in response.text
    # Tampering with the preview's team is refused the same way.
    response = client.post(URL, {**preview_data(team), "action": "create"}, **hx)
    assert response.status_code == 200
    assert "Choose one of your teams." in response.text
    assert Proposal.objects.count() == 0


def test_a_user_without_a_team_is_told_so(login, user):
    response = login(user).get(URL)
    assert response.status_code == 200
    assert "You need to be in a team" in response.text


BINARY = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("binary upload", {"file": ("slot.png", BINARY)}, "not a text file"),
        ("pdf upload", {"file": ("slot.pdf", b"%PDF-1.7\n...")}, "This is a PDF"),
        ("not UTF-8", {"file": ("slot.md", "Caf\xe9 au lait\n".encode("latin-1"))}, "UTF-8"),
        ("empty file", {"file": ("slot.md", b"  \n")}, "empty"),
        (
            "file too big",
            {"file": ("slot.md", b"word " * (importing.MAX_BYTES // 5 + 1))},
            "an import can take files up to",
        ),
        ("empty paste", {"text": "   \n  "}, "Choose a file to upload, or paste the text"),
        ("neither", {}, "Choose a file to upload, or paste the text"),
        (
            "both",
            {"text": "# Customer\n\nShoppers", "file": ("slot.md", b"# Customer\n\nShoppers")},
            "not both",
        ),
        (
            "paste too long",
            {"text": "x" * (importing.MAX_CHARS + 1)},
            f"at most {importing.MAX_CHARS:,}",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "",
)
def test_bad_input_gets_a_clear_message_on_the_page(login, lead, team, hx, name, data, message):
    post = {"team": team.pk, "text": data.get("text", "")}
    if "file" in data:
        post["file"] = SimpleUploadedFile(data["file"][0], data["file"][1])
    response = login(lead).post(URL, post, **hx)
    assert response.status_code == 200, name
    assert message in html.unescape(response.text), (name, response.text[-3000:])
    assert 'class="form-errors"' in response.text or "field__error" in response.text
    assert Proposal.objects.count() == 0


def test_an_uploaded_markdown_file_is_read_like_pasted_text(login, lead, team):
    upload = SimpleUploadedFile("slot-holds.md", SOURCE.encode("utf-8"), "text/markdown")
    response = login(lead).post(URL, {"file": upload, "team": team.pk})
    assert response.status_code == 200
    assert hidden_source(response) == SOURCE


def test_the_title_comes_from_the_file_name_when_the_document_has_none(login, lead, team):
    text = "Evening shoppers lose their delivery slot before they pay.\n"
    upload = SimpleUploadedFile("slot_holds-2027.txt", text.encode("utf-8"))
    response = login(lead).post(URL, {"file": upload, "team": team.pk})
    assert response.status_code == 200
    reading = importing.read(text)
    assert f'value="{reading.title or "slot holds 2027"}"' in response.text


def test_tampered_preview_gets_messages_not_errors(login, lead, team, hx):
    client = login(lead)
    problem = block_index(SOURCE, "Today customers")
    faq = block_index(SOURCE, "How much")
    tampered = preview_data(
        team,
        **{f"put-{problem}": "faq.external", f"put-{faq}": "customer.who", "put-9999": "x"},
    )
    response = client.post(URL, {**tampered, "action": "create"}, **hx)
    assert response.status_code == 200
    assert response.text.count("Choose one of the places listed.") == 2
    assert "Not created yet" in response.text
    # A missing choice, a title over two lines, an empty title.
    data = preview_data(team, title="Two\nlines")
    del data[f"put-{problem}"]
    response = client.post(URL, {**data, "action": "create"}, **hx)
    assert response.status_code == 200
    assert "Keep this to one line" in response.text
    assert "This field is required." in response.text
    response = client.post(URL, {**preview_data(team, title=" "), "action": "create"}, **hx)
    assert "Give the proposal a title." in response.text
    # A source that is no longer readable sends the author back to the start.
    for source in ["", "y" * (importing.MAX_CHARS + 1)]:
        data = {**preview_data(team), "source": source, "action": "create"}
        response = client.post(URL, data, **hx)
        assert response.status_code == 200
        assert "Preview the import" in response.text
        assert 'class="form-errors"' in response.text
    assert Proposal.objects.count() == 0


def test_errors_from_assembling_stop_the_create(login, lead, team, hx, monkeypatch):
    real = importing.assemble

    def with_error(reading, choices=None):
        assembled = real(reading, choices)
        assembled.errors.append("The press release summary is longer than 20,000 characters.")
        return assembled

    monkeypatch.setattr(importing, "assemble", with_error)
    response = login(lead).post(URL, {**preview_data(team), "action": "create"}, **hx)
    assert response.status_code == 200
    assert "The press release summary is longer than 20,000 characters." in response.text
    assert Proposal.objects.count() == 0


def test_hostile_markup_is_shown_as_text_everywhere(login, lead, team, hx):
    client = login(lead)
    source = f"# <b>Bold</b> title\n\n{PAYLOAD}\n"
    response = client.post(URL, {"text": source, "team": team.pk}, **hx)
    assert response.status_code == 200
    assert "&lt;script&gt;alert(&#x27;evil-1&#x27;)&lt;/script&gt;" in response.text
    inspector = Inspector()
    inspector.feed(response.text)
    assert inspector.problems == []
    assert hidden_source(response) == source
    reading = importing.read(source)
    data = {
        "source": source,
        "title": "Hostile",
        "team": team.pk,
        "action": "create",
        **{f"put-{b.index}": importing.UNPLACED for b in reading.blocks},
    }
    client.post(URL, data)
    proposal = Proposal.objects.get()
    assert "<script>alert('evil-1')</script>" in proposal.unplaced_text  # stored as typed
    for url in (
        reverse("proposal-memo", args=[proposal.pk]),
        reverse("proposal-step", args=[proposal.pk, "faq"]),
    ):
        inspector = Inspector()
        inspector.feed(client.get(url, **hx).text)
        assert inspector.problems == [], url


# --- The services ------------------------------------------------------------------------


def test_proposal_import_checks_what_it_is_given(team, lead, outsider):
    good = {"customer": {"who": "Evening shoppers"}}
    for title, message in [
        ("", "Give the proposal a title."),
        ("Two\nlines", "one line"),
        ("x" * (document.TITLE_MAX + 1), "characters or fewer"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.proposal_import(team=team, owner=lead, title=title, content=good, unplaced="")
    too_long = {"customer": {"who": "x" * (document.LONG_MAX + 1)}}
    too_many = {"faq": {"entries": [{"question": "Q?", "audience": "external"}] * 201}}
    no_audience = {"faq": {"entries": [{"question": "Q?", "answer": "A", "audience": "all"}]}}
    for content in (too_long, too_many, no_audience):
        with pytest.raises(ValidationError):
            services.proposal_import(team=team, owner=lead, title="T", content=content, unplaced="")
    with pytest.raises(ValidationError, match="member of the team"):
        services.proposal_import(team=team, owner=outsider, title="T", content=good, unplaced="")
    with pytest.raises(ValidationError, match="too long"):
        services.proposal_import(
            team=team, owner=lead, title="T", content=good, unplaced="x" * 400_001
        )
    assert Proposal.objects.count() == 0

    # Rows without usable ids get ids the editor accepts.
    content = {
        "benefit": {"metrics": [{"name": "A", "kind": "odd"}, {"name": "B", "id": "m1"}]},
        "faq": {"entries": [{"id": "<x>", "question": "Q?", "audience": "internal"}]},
    }
    proposal = services.proposal_import(
        team=team, owner=lead, title="Rows", content=content, unplaced="\n\nSpare\n\n"
    )
    saved = proposal.current_revision.content
    assert [m["id"] for m in saved["benefit"]["metrics"]] == ["m1", "m2"]
    assert saved["benefit"]["metrics"][0]["kind"] == "output"
    assert [e["id"] for e in saved["faq"]["entries"]] == ["f1"]
    assert proposal.unplaced_text == "Spare"


def test_proposal_unplaced_clear_empties_the_note(team, lead):
    proposal = services.proposal_import(
        team=team, owner=lead, title="T", content={}, unplaced="Spare"
    )
    services.proposal_unplaced_clear(proposal=proposal, user=lead)
    assert proposal.unplaced_text == ""
    assert Proposal.objects.get(pk=proposal.pk).unplaced_text == ""
    services.proposal_unplaced_clear(proposal=proposal, user=lead)  # twice is harmless


def test_import_page_query_count_is_constant(login, lead, team):
    from tests.helpers import assert_constant_queries

    def grow():
        for _ in range(3):
            MembershipFactory(team=TeamFactory(), user=lead)

    assert_constant_queries(login(lead), URL, grow)


def test_a_long_part_opens_to_its_whole_text(login, lead, team):
    long = "A sentence about evening shoppers and their slots. " * 40
    response = login(lead).post(URL, {"text": f"# Notes\n\n{long}\n", "team": team.pk})
    assert response.status_code == 200
    assert "import-block__text--long" in response.text
    assert f"Show all {len(long.strip())} characters" in response.text


def test_the_largest_preview_the_parser_allows_can_be_created(login, lead, team):
    """Each piece is a form field: a preview at the limit still posts (Django refuses a
    request of more than 1,000 fields with a 400)."""
    source = "# Press release\n\n## Big\n\n" + "\n\n".join(
        f"Paragraph {n} of the appendix." for n in range(importing.MAX_BLOCKS - 1)
    )
    assert len(importing.read(source).blocks) == importing.MAX_BLOCKS
    client = login(lead)
    response = client.post(URL, {**preview_data(team, source=source), "action": "create"})
    assert response.status_code == 302
    assert Proposal.objects.get().current_revision.content["press_release"]["headline"] == "Big"
    with pytest.raises(importing.UnreadableDocument, match="pieces"):
        importing.read(source + "\n\nOne more.\n")

"""Importing a PR/FAQ written elsewhere: real documents in, the document a careful
reader would have filled in out.

Every document in ``import_docs/`` is a PR/FAQ as people write them (our own export,
an Amazon memo, bold labels, plain text, Windows line endings, ...) with, next to it,
``<name>.expected.json``: what a careful human would put in each field, the FAQ
entries and metrics in order, what must be kept as Unplaced text and which steps are
still incomplete. A field the expectation does not name must come out empty.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from prfaq import document as doc
from prfaq import importing
from prfaq.demo_content import DEMO_PROPOSALS
from prfaq.export import to_markdown
from prfaq.rendering import render_document

DOCS = Path(__file__).parent / "import_docs"
SOURCES = sorted(p for p in DOCS.iterdir() if p.suffix in {".md", ".txt"})
FIELD_PATHS = [f"{step.key}.{f.key}" for step in doc.STEPS for f in step.fields]


def _field(content: dict[str, Any], path: str) -> str:
    step, key = path.split(".")
    return content[step][key]


def _expected(source: Path) -> dict[str, Any]:
    return json.loads(source.with_suffix(".expected.json").read_text(encoding="utf-8"))


def _import(source: Path) -> tuple[str, importing.Reading, importing.Assembled]:
    text = importing.decode(source.read_bytes())
    reading = importing.read(text)
    return text, reading, importing.assemble(reading)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_the_corpus_is_there() -> None:
    assert len(SOURCES) >= 10
    for source in SOURCES:
        assert source.with_suffix(".expected.json").exists(), source.name
    # git must not normalise the Windows document (see import_docs/.gitattributes).
    assert b"\r\n" in (DOCS / "windows_crlf.md").read_bytes()


# --------------------------------------------------------------------------------------
# Mapping: each document lands where a careful reader would put it.
# --------------------------------------------------------------------------------------


def _check_text(where: str, value: str, spec: Any, problems: list[str]) -> None:
    if "\r" in value:
        problems.append(f"{where}: keeps a carriage return: {value!r}")
    if isinstance(spec, str):
        if value.strip() != spec:
            problems.append(f"{where}: expected {spec!r}, got {value!r}")
        return
    for part in spec.get("contains", []):
        if part not in value:
            problems.append(f"{where}: expected to contain {part!r}, got {value!r}")
    for part in spec.get("excludes", []):
        if part in value:
            problems.append(f"{where}: must not contain {part!r}, got {value!r}")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_document_maps_as_a_careful_reader_would(source: Path) -> None:
    expected = _expected(source)
    _, reading, assembled = _import(source)
    content = assembled.content
    problems: list[str] = []

    if reading.structured is not expected["structured"]:
        problems.append(f"structured: expected {expected['structured']}, got {reading.structured}")
    if "title" in expected and reading.title != expected["title"]:
        problems.append(f"title: expected {expected['title']!r}, got {reading.title!r}")
    if "title_within" in expected:
        # A title cut from the opening paragraph, whole or shortened ("...").
        cut = reading.title.rstrip("….").strip()
        if not cut or cut not in expected["title_within"]:
            problems.append(f"title: expected a part of the first paragraph, got {reading.title!r}")
    if expected.get("messages") and not reading.messages:
        problems.append("messages: expected a note for the author, got none")
    if assembled.errors:
        problems.append(f"errors: expected none, got {assembled.errors}")

    for path in FIELD_PATHS:
        _check_text(path, _field(content, path), expected["fields"].get(path, ""), problems)

    entries = content["faq"]["entries"]
    got_questions = [(e["question"].strip(), e["audience"]) for e in entries]
    want_questions = [(e["question"], e["audience"]) for e in expected["faq"]]
    if got_questions != want_questions:
        problems.append(f"faq: expected {want_questions}, got {got_questions}")
    else:
        for entry, want in zip(entries, expected["faq"], strict=True):
            spec = want["answer"] if "answer" in want else {"contains": want["answer_contains"]}
            _check_text(f"faq {want['question']!r} answer", entry["answer"], spec, problems)

    metrics = content["benefit"]["metrics"]
    same_count = len(metrics) == len(expected["metrics"])
    got_metrics = [
        {k: m[k].strip() for k in want}
        for m, want in zip(metrics, expected["metrics"], strict=False)
    ]
    if not same_count or got_metrics != expected["metrics"]:
        problems.append(f"metrics: expected {expected['metrics']}, got {metrics}")

    for part in expected["unplaced"]:
        if part not in assembled.unplaced:
            problems.append(f"unplaced: expected to keep {part!r}, got {assembled.unplaced!r}")
    if expected.get("unplaced_empty", not expected["unplaced"]) and assembled.unplaced.strip():
        problems.append(f"unplaced: expected nothing left over, got {assembled.unplaced!r}")
    # Text placed in a field is not kept a second time as Unplaced text.
    for path, spec in expected["fields"].items():
        if isinstance(spec, str) and spec and spec in assembled.unplaced:
            problems.append(f"unplaced: repeats the text of {path}")
    if "\r" in assembled.unplaced:
        problems.append("unplaced: keeps a carriage return")

    if assembled.missing != expected["missing"]:
        problems.append(f"missing: expected {expected['missing']}, got {assembled.missing}")

    assert not problems, f"{source.name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_reading_and_assembly_are_well_formed(source: Path) -> None:
    text, reading, assembled = _import(source)

    assert reading.title.strip()
    assert "\n" not in reading.title
    assert len(reading.title) <= doc.TITLE_MAX

    assert reading.blocks
    for position, block in enumerate(reading.blocks):
        assert block.index == position
        assert block.kind in {"text", "faq", "metric"}
        assert block.target in dict(importing.choices_for(block))
        assert block.target != importing.DROP
        assert block.confidence in {importing.SURE, importing.LIKELY, importing.GUESS}
        assert block.reason.strip()
        # The source is the input as written (line endings aside).
        assert block.source.strip()
        assert _squash(block.source) in _squash(text)

    content = assembled.content
    assert content == doc.normalized(content)
    for items in (content["faq"]["entries"], content["benefit"]["metrics"]):
        ids = [item["id"] for item in items]
        assert all(ids)
        assert len(set(ids)) == len(ids)
    # `missing` is the document's own completeness, in step order.
    assert assembled.missing == [
        step.title for step in doc.STEPS if not doc.step_is_complete(content, step.key)
    ]
    # Saying nothing and choosing nothing are the same.
    again = importing.assemble(reading, {})
    assert (again.content, again.unplaced, again.errors) == (
        assembled.content,
        assembled.unplaced,
        assembled.errors,
    )


# --------------------------------------------------------------------------------------
# Nothing is lost: every word of the input is somewhere in what the author gets back.
# --------------------------------------------------------------------------------------

# The words that only say which part of a PR/FAQ follows. A line that is nothing but
# one of these (as a heading or bold line, with an optional "(for ...)" note) or that
# starts with one of them followed by a colon ("Q:", "**How many:**") is structure; so
# are the header row of a metrics table, the number of a numbered list item and the
# "from ... to ... by" of a metrics line. Every other word must come back.
STRUCTURE_LABELS = {
    "press release", "pr", "announcement",
    "faq", "customer faq", "external faq", "internal faq", "stakeholder faq",
    "faqs", "external faqs", "internal faqs", "frequently asked questions",
    "summary", "problem", "solution", "quote from the leader", "how to get started",
    "customer quote", "call to action", "success metrics", "working backwards",
    "customer", "who is the customer", "how many", "evidence",
    "problem, in the customer's words", "what they do today", "the most important benefit",
    "q", "a",
}  # fmt: skip
# "# PR/FAQ - Smart Returns" names the document; the prefix is not the author's text.
DOC_TITLE_PREFIX = re.compile(r"^[#\s*]*PR/FAQ\b")
TABLE_HEADER_CELLS = {"metric", "kind", "unit", "baseline", "target", "due", ""}
# A metric line keeps its name and numbers; its due date ("2026-12-31", "Q2 2026",
# "end of 2026") is read into a date, checked by each document's expectations.
METRIC_LINE = re.compile(
    r"^\s*(?:[-*]|\d+[.)])\s+(?P<name>.+?):\s*(?:from\s+)?(?P<baseline>.+?)\s+(?:to|→)\s+"
    r"(?P<target>.+?)\s+by\s+(?P<due>.+?)\s*(?:\((?:input|output)\))?\s*$"
)
LABEL_PREFIX = re.compile(r"^[\s>*_#-]*(?P<label>[A-Za-z ,']+?)\s*[:.]\s*(?:\*\*|__)?\s*")


def _without_structure(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = DOC_TITLE_PREFIX.sub("", line)
        bare = re.sub(r"[#*_:?]", "", line).strip()
        bare = re.sub(r"\s*\([^)]*\)$", "", bare).lower()
        if bare in STRUCTURE_LABELS:
            continue
        if line.lstrip().startswith("|"):
            cells = {c.strip().lower() for c in line.strip().strip("|").split("|")}
            if cells <= TABLE_HEADER_CELLS:
                continue
        if match := METRIC_LINE.match(line):
            line = " ".join(match.group("name", "baseline", "target"))
        if (match := LABEL_PREFIX.match(line)) and match["label"].lower() in STRUCTURE_LABELS:
            line = line[match.end() :]
        lines.append(re.sub(r"^\s*\d+[.)]\s+", "", line))
    return "\n".join(lines)


def _words(text: str) -> set[str]:
    # "1,500" and the metric value "1500" are the same number.
    return set(re.findall(r"[^\W_]+", re.sub(r"(?<=\d),(?=\d{3}\b)", "", text).lower()))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_nothing_is_lost(source: Path) -> None:
    text, reading, assembled = _import(source)
    kept = _words(" ".join([*_strings(assembled.content), assembled.unplaced, reading.title]))
    lost = sorted(_words(_without_structure(text)) - kept)
    assert not lost, f"{source.name}: words of the input found nowhere: {lost}"


# --------------------------------------------------------------------------------------
# Round trip: our own export reads back as the same document.
# --------------------------------------------------------------------------------------


def _decimal(value: str) -> str:
    """A number as the metric form stores it ("1,500" -> "1500", "+5" -> "5")."""
    try:
        number = Decimal(value.strip().replace(",", ""))
    except InvalidOperation:
        return value
    return format(number.normalize(), "f") if number == number.to_integral() else str(number)


def _comparable(content: dict[str, Any]) -> dict[str, Any]:
    """The document without ids, FAQ in export order (external, then internal), metric
    numbers in the form the metric form stores them."""
    d = doc.normalized(content)
    d["faq"]["entries"] = sorted(
        ({k: v for k, v in e.items() if k != "id"} for e in d["faq"]["entries"]),
        key=lambda e: e["audience"] != "external",
    )
    d["benefit"]["metrics"] = [
        {
            **{k: v for k, v in m.items() if k != "id"},
            "baseline": _decimal(m["baseline"]),
            "target": _decimal(m["target"]),
        }
        for m in d["benefit"]["metrics"]
        if m["name"].strip()
    ]
    return d


@pytest.mark.parametrize("proposal", DEMO_PROPOSALS, ids=lambda p: p["title"])
def test_our_export_round_trips(proposal: dict[str, Any]) -> None:
    markdown = to_markdown(proposal["title"], proposal["document"])
    reading = importing.read(markdown)
    assembled = importing.assemble(reading)

    expected = doc.normalized(proposal["document"])
    assert reading.structured
    assert assembled.errors == []
    assert assembled.unplaced == ""
    assert _comparable(assembled.content) == _comparable(expected)
    headline = expected["press_release"]["headline"].strip()
    # Without a headline the export heads the page "PR/FAQ: <title>" (it must head the
    # page with something). Read back, that heading is the proposal's title, not a
    # headline: the empty headline stays empty and the title is suggested as the title.
    assert reading.title == (headline or proposal["title"])


# --------------------------------------------------------------------------------------
# Bad input is refused with a reason; hostile markup stays text until rendering.
# --------------------------------------------------------------------------------------

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
    b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05"
    b"\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.parametrize(
    "data",
    [
        PNG,
        b"# Press release\n\nHello\x00\x00\x00world\n",
        "# Press release\n\nCaf\xe9 cr\xe8me, na\xefve\n".encode("latin-1"),
        b"# Press release\n\n\xff\xfe\xfd broken bytes\n",
        b"a" * (importing.MAX_BYTES + 1),
    ],
    ids=["png", "nul-bytes", "latin-1", "invalid-utf-8", "too-large"],
)
def test_decode_refuses_what_is_not_utf8_text(data: bytes) -> None:
    with pytest.raises(importing.UnreadableDocument) as refused:
        importing.decode(data)
    assert str(refused.value).strip()


def test_decode_reads_utf8_and_drops_a_byte_order_mark() -> None:
    text = "# Press release\n\nCafé crème — naïve ✓\n"
    assert importing.decode(text.encode()) == text
    assert not importing.decode(b"\xef\xbb\xbf" + text.encode()).startswith("\ufeff")


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \r\n"], ids=["empty", "spaces", "blank-lines"])
def test_read_refuses_empty_text(text: str) -> None:
    with pytest.raises(importing.UnreadableDocument) as refused:
        importing.read(text)
    assert str(refused.value).strip()


def test_read_refuses_text_over_the_limit_and_takes_text_at_it() -> None:
    at_limit = ("Words of a very long proposal. " * (importing.MAX_CHARS // 30 + 1))[
        : importing.MAX_CHARS
    ]
    assert len(at_limit) == importing.MAX_CHARS
    importing.read(at_limit)
    with pytest.raises(importing.UnreadableDocument) as refused:
        importing.read(at_limit + "x")
    assert str(refused.value).strip()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "href":
                self.hrefs.append(value or "")
            if name.startswith("on"):
                self.handlers.append(name)


def test_hostile_markup_is_imported_as_text_and_rendered_harmless() -> None:
    _, _, assembled = _import(DOCS / "hostile_markup.md")
    content = assembled.content
    # Kept as typed (the mapping test checks where); rendering is what neutralises it.
    everything = "\n".join(_strings(content))
    for raw in [
        "<script>alert('summary')</script>",
        "<img src=x onerror=\"alert('solution')\">",
        "<a href=\"javascript:alert('quote')\">",
        "(javascript:alert('cta'))",
        '<iframe src="https://evil.example/frame"></iframe>',
        "(JaVaScRiPt:alert('faq'))",
    ]:
        assert raw in everything

    html = "\n".join(render_document(content).values())
    assert "<script" not in html.lower()
    parsed = _Tags()
    parsed.feed(html)
    assert not {"script", "img", "iframe"} & set(parsed.tags)
    assert not parsed.handlers
    assert not [h for h in parsed.hrefs if "javascript:" in h.lower().replace(" ", "")]


# --------------------------------------------------------------------------------------
# The author's choices: move, keep as Unplaced text, leave out; bad choices and limits.
# --------------------------------------------------------------------------------------


def _reading(name: str) -> importing.Reading:
    return importing.read(importing.decode((DOCS / name).read_bytes()))


def _block(reading: importing.Reading, containing: str, kind: str) -> importing.Block:
    found = [b for b in reading.blocks if containing in b.source and b.kind == kind]
    assert len(found) == 1, f"one {kind} block with {containing!r}: {found}"
    return found[0]


PROBLEM = "Most houseplants that die at home die of something that could have been fixed"


def test_moving_a_block_moves_its_text() -> None:
    reading = _reading("amazon_memo.md")
    block = _block(reading, PROBLEM, "text")
    assert block.target == "press_release.problem"

    moved = importing.assemble(reading, {block.index: "press_release.solution"})
    pr = moved.content["press_release"]
    assert PROBLEM in pr["solution"]
    assert "Plant Doctor puts a trained horticulturist" in pr["solution"]
    assert PROBLEM not in pr["problem"]
    assert PROBLEM not in moved.unplaced
    assert moved.errors == []
    assert "Press release" in moved.missing  # the problem paragraph is now empty


def test_leaving_a_block_out_drops_its_text() -> None:
    reading = _reading("amazon_memo.md")
    block = _block(reading, PROBLEM, "text")
    dropped = importing.assemble(reading, {block.index: importing.DROP})
    assert PROBLEM not in "\n".join([*_strings(dropped.content), dropped.unplaced])
    assert dropped.errors == []


def test_keeping_a_block_as_unplaced_keeps_its_source() -> None:
    reading = _reading("amazon_memo.md")
    block = _block(reading, PROBLEM, "text")
    kept = importing.assemble(reading, {block.index: importing.UNPLACED})
    assert block.source.strip() in kept.unplaced
    assert kept.content["press_release"]["problem"] == ""
    assert kept.errors == []


def test_moving_a_faq_entry_to_the_other_audience() -> None:
    reading = _reading("amazon_memo.md")
    block = _block(reading, "How much does Plant Doctor cost?", "faq")
    assert block.target == importing.FAQ_EXTERNAL
    moved = importing.assemble(reading, {block.index: importing.FAQ_INTERNAL})
    audiences = {e["question"]: e["audience"] for e in moved.content["faq"]["entries"]}
    assert audiences["How much does Plant Doctor cost?"] == "internal"
    assert moved.errors == []


@pytest.mark.parametrize(
    ("name", "containing", "kind", "target"),
    [
        ("amazon_memo.md", "How much does Plant Doctor cost?", "faq", "customer.who"),
        ("amazon_memo.md", PROBLEM, "text", importing.FAQ_EXTERNAL),
        ("amazon_memo.md", PROBLEM, "text", importing.METRICS),
        ("bold_labels.md", "from 35% to 80%", "metric", "press_release.summary"),
        ("amazon_memo.md", PROBLEM, "text", "nowhere.at_all"),
    ],
)
def test_a_choice_the_block_cannot_take_is_an_error(
    name: str, containing: str, kind: str, target: str
) -> None:
    reading = _reading(name)
    block = _block(reading, containing, kind)
    assert target not in dict(importing.choices_for(block))
    assembled = importing.assemble(reading, {block.index: target})
    assert assembled.errors


def _named(errors: list[str], path: str) -> bool:
    step, key = path.split(".")
    label = next(f.label for f in doc.STEPS_BY_KEY[step].fields if f.key == key)
    return any(path in e or label in e for e in errors)


def _over_the_limit(reading: importing.Reading, path: str) -> None:
    """Detection keeps within the limit, the rest as Unplaced text; moving it all into
    the field anyway is an error that names the field."""
    assembled = importing.assemble(reading)
    assert not assembled.errors, assembled.errors
    step, key = path.split(".")
    limit = next(f.max_length for f in doc.STEPS_BY_KEY[step].fields if f.key == key)
    assert 0 < len(assembled.content[step][key]) <= limit
    overflow = [b for b in reading.blocks if b.target == importing.UNPLACED]
    assert overflow
    assert all(b.source.strip() in assembled.unplaced for b in overflow)
    forced = importing.assemble(reading, {b.index: path for b in overflow})
    assert _named(forced.errors, path), forced.errors


def test_a_field_over_its_limit_keeps_the_rest_unplaced_and_forcing_it_is_an_error() -> None:
    paragraph = (
        "Interview notes from the depot: riders described missing buses while the driver "
        "counted change, and several said they now walk rather than wait. "
    ) * 5
    evidence = "\n\n".join(f"{paragraph.strip()} (Note {n}.)" for n in range(1, 40))
    assert len(evidence) > doc.LONG_MAX
    text = (
        "# Press release\n\n## Tidewater buses take cards\n\n"
        "TIDEWATER — 2 February 2027 — Every bus now takes contactless cards.\n\n"
        f"## Evidence\n\n{evidence}\n"
    )
    assert len(text) < importing.MAX_CHARS
    _over_the_limit(importing.read(text), "customer.evidence")


def test_a_short_field_over_its_limit_keeps_the_rest_unplaced_and_forcing_it_is_an_error() -> None:
    sentence = "About 23,500 riders a week pay cash on three or more days."
    how_many = "\n\n".join([sentence] * 8)
    text = (
        "# Press release\n\n## Tidewater buses take cards\n\n"
        "TIDEWATER — 2 February 2027 — Every bus now takes contactless cards.\n\n"
        f"**How many:** {sentence}\n\n## How many\n\n{how_many}\n"
    )
    _over_the_limit(importing.read(text), "customer.how_many")


def test_more_faq_entries_than_a_document_holds_stay_unplaced() -> None:
    entries = "\n\n".join(
        f"Q: What about case {n}?\nA: Case {n} is handled." for n in range(doc.MAX_FAQ_ENTRIES + 1)
    )
    text = f"# Press release\n\n## Buses take cards\n\n## FAQ\n\n{entries}\n"
    reading = importing.read(text)
    assembled = importing.assemble(reading)
    assert not assembled.errors
    assert len(assembled.content["faq"]["entries"]) == doc.MAX_FAQ_ENTRIES
    assert f"What about case {doc.MAX_FAQ_ENTRIES}?" in assembled.unplaced
    last = reading.blocks[-1]
    forced = importing.assemble(reading, {last.index: importing.FAQ_EXTERNAL})
    assert any(str(doc.MAX_FAQ_ENTRIES) in e for e in forced.errors), forced.errors

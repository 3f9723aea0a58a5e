"""Properties of the import parser over generated documents.

Documents are built from Markdown-ish pieces (headings, labels, quotes, lists, tables,
questions, datelines, metric lines, section names in several spellings) around words
that no section name or marker uses. Whatever the mix, reading either
succeeds or refuses with a message for the author; every piece may go where it was
detected; and every word of the author's own text ends up in a field, the FAQ, a
metric, the Unplaced text or the suggested title.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prfaq import document as doc
from prfaq import importing

# Words of the author's own text: consonants only, so no word is a section's name or
# a marker, and each is most likely unique, so a dropped one is noticed.
CONSONANTS = "bcdfghjklmnpvwxz"
WORD = re.compile(rf"[{CONSONANTS}]{{5,}}")
SECTIONS = (
    "Press release", "PR", "Announcement", "FAQ", "Internal FAQ", "Customer FAQ",
    "Stakeholder FAQ (for us)", "Frequently asked questions", "Success metrics", "Summary",
    "Problem", "Solution", "Customer", "Who is the customer?", "How many", "Evidence",
    "Working backwards", "Customer quote", "Quote from the leader", "How to get started",
    "Call to action", "The most important benefit", "Headline", "Subheading", "PR/FAQ",
)  # fmt: skip

words = st.lists(st.text(alphabet=CONSONANTS, min_size=5, max_size=9), min_size=1, max_size=7).map(
    " ".join
)
inline = st.one_of(
    words,
    words.map(lambda w: f"**{w}**"),
    words.map(lambda w: f"*{w}*"),
    words.map(lambda w: f"`{w}`"),
    words.map(lambda w: f"[{w}](https://example.com/{w.split()[0]})"),
    st.tuples(words, words).map(lambda t: f'"{t[0]}," said {t[1].title()}.'),
    st.tuples(words, words).map(lambda t: f"“{t[0]}” — {t[1].title()}, VP"),
)
text_line = st.tuples(
    st.sampled_from(
        [
            "",
            "",
            "# ",
            "## ",
            "### ",
            "> ",
            "- ",
            "1. ",
            "Q: ",
            "A: ",
            "**Q:** ",
            "| ",
            "Q. ",
            "Seattle, WA — August 12, 2025 — ",
            "**",
            "_",
            "Customer: ",
            "**How many:** ",
        ]
    ),
    st.lists(inline, min_size=1, max_size=3).map(" ".join),
    st.sampled_from(["", "", ".", "?", ":", " |", "**", " ##"]),
).map("".join)
section_line = st.tuples(
    st.sampled_from(["# ", "## ", "### ", "**", ""]),
    st.sampled_from(SECTIONS),
    st.one_of(st.just(""), words.map(lambda w: f" ({w})"), words.map(lambda w: f": {w}")),
).map(lambda t: f"{t[0]}{t[1]}{t[2]}**" if t[0] == "**" else f"{t[0]}{t[1]}{t[2]}")
metric_line = st.tuples(words, st.sampled_from(["from 3% to 9%", "4 → 12", "to 5"])).map(
    lambda t: f"- {t[0]}: {t[1]} by 2027-03-31"
)
table = st.lists(words, min_size=1, max_size=3).map(
    lambda names: (
        "| Metric | Baseline | Target | Due |\n| --- | --- | --- | --- |\n"
        + "\n".join(f"| {n} | 1 | 2 | 2027-06-30 |" for n in names)
    )
)
question = st.tuples(
    st.sampled_from(
        ["Q: {}\nA: {}", "**Q: {}?**\n\n{}", "{}?\n\n{}", "1. {}?\n   {}", "### {}?\n\n{}"]
    ),
    words,
    st.lists(inline, min_size=1, max_size=3).map(" ".join),
).map(lambda t: t[0].format(t[1], t[2]))
element = st.one_of(
    text_line, text_line, text_line, section_line, question, metric_line, table, st.just("---")
)
documents = st.lists(
    st.tuples(element, st.sampled_from(["\n", "\n\n", "\n\n", "\r\n\r\n"])),
    min_size=1,
    max_size=30,
).map(lambda parts: "".join(e + sep for e, sep in parts))

FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _vocab(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def _read(text: str) -> importing.Reading | None:
    try:
        return importing.read(text)
    except importing.UnreadableDocument as refusal:
        message = str(refusal)
    assert message  # a refusal always says why
    return None


@FUZZ
@given(documents)
def test_reading_never_fails_and_loses_no_word(text: str) -> None:
    reading = _read(text)
    if reading is None:
        return
    assembled = importing.assemble(reading)
    assert not assembled.errors, assembled.errors
    assert assembled.content == doc.normalized(assembled.content)
    assert "\n" not in reading.title
    assert 0 < len(reading.title) <= doc.TITLE_MAX
    for block in reading.blocks:
        assert block.target in {key for key, _ in importing.choices_for(block)}
        assert block.reason, f"piece {block.index} has no reason"
    kept = " ".join([*_strings(assembled.content), assembled.unplaced, reading.title])
    lost = _vocab(text) - _vocab(kept)
    assert not lost, f"lost {sorted(lost)} from:\n{text}"


@FUZZ
@given(documents, st.data())
def test_any_choice_the_preview_offers_assembles(text: str, data: st.DataObject) -> None:
    reading = _read(text)
    if reading is None:
        return
    choices = {
        block.index: data.draw(st.sampled_from([k for k, _ in importing.choices_for(block)]))
        for block in reading.blocks
    }
    assembled = importing.assemble(reading, choices)
    for block in reading.blocks:
        if choices[block.index] == importing.UNPLACED:
            assert block.source.strip() in assembled.unplaced
    assert assembled.content == doc.normalized(assembled.content)


@FUZZ
@given(st.text(max_size=3000))
def test_any_text_at_all_is_read_or_refused_with_a_message(text: str) -> None:
    reading = _read(text)
    if reading is not None:
        importing.assemble(reading)


@FUZZ
@given(st.binary(max_size=3000))
def test_any_bytes_are_decoded_or_refused_with_a_message(data: bytes) -> None:
    try:
        text = importing.decode(data)
    except importing.UnreadableDocument as refusal:
        message = str(refusal)
    else:
        _read(text)
        return
    assert message

"""Read a PR/FAQ written elsewhere (Markdown or plain text) into our document shape.

Pure functions, no database. `decode` turns uploaded bytes into text (or refuses with
a message), `read` splits the text into blocks and guesses where each belongs, and
`assemble` builds a document from the blocks and the author's choices. Nothing of the
input is lost silently: a block is placed in a field, kept as "Unplaced text", or
left out only when the author says so.
"""

from __future__ import annotations

import calendar
import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from prfaq import document as doc

MAX_CHARS = 200_000  # a long PR/FAQ is about 40,000 characters
MAX_BYTES = 400_000  # upload size; UTF-8 text of MAX_CHARS fits comfortably
MAX_BLOCKS = 900  # pieces in one preview, each a form field: under Django's 1,000 fields

UNPLACED = "unplaced"
DROP = "drop"
FAQ_EXTERNAL = "faq.external"
FAQ_INTERNAL = "faq.internal"
METRICS = "metrics"

# Where a text block may go: every field of the document, in step order.
TEXT_TARGETS: tuple[tuple[str, str, str], ...] = tuple(
    (f"{step.key}.{f.key}", f.label, step.title) for step in doc.STEPS for f in step.fields
)
TARGET_LABELS: dict[str, str] = {
    **{key: f"{group}: {label}" for key, label, group in TEXT_TARGETS},
    FAQ_EXTERNAL: "FAQ: external (customers)",
    FAQ_INTERNAL: "FAQ: internal (stakeholders)",
    METRICS: "Success metric",
    UNPLACED: "Unplaced text",
    DROP: "Leave out",
}

SURE, LIKELY, GUESS = "sure", "likely", "guess"


class UnreadableDocument(ValueError):
    """The input cannot be imported; the message says why, for the author."""


@dataclass
class Block:
    """One piece of the input and where it was detected to belong."""

    index: int
    kind: str  # "text", "faq" or "metric"
    source: str  # the block as written in the input; what Unplaced text keeps
    target: str  # a key of TARGET_LABELS (never DROP: only the author drops)
    confidence: str  # SURE, LIKELY or GUESS
    reason: str  # why, for the author: 'Under the heading "Customer FAQ"'
    text: str = ""  # kind "text": what goes into the field
    question: str = ""  # kind "faq"
    answer: str = ""  # kind "faq"
    metric: dict[str, str] = field(default_factory=dict)  # kind "metric": METRIC_FIELDS


@dataclass
class Reading:
    title: str  # a suggested proposal title: one line, at most doc.TITLE_MAX
    blocks: list[Block]
    structured: bool  # False when no part of a PR/FAQ was recognised
    messages: list[str] = field(default_factory=list)  # notes for the author


@dataclass
class Assembled:
    content: dict[str, Any]  # a normalized document (doc.normalized)
    unplaced: str  # the Unplaced text note, blocks joined by blank lines
    errors: list[str]  # limits exceeded or bad choices; nothing may be saved while any
    missing: list[str]  # titles of steps left incomplete, e.g. ["Customer", "Problem"]


def choices_for(block: Block) -> list[tuple[str, str]]:
    """The places a block may go, as (key, label)."""
    if block.kind == "faq":
        keys = [FAQ_EXTERNAL, FAQ_INTERNAL]
    elif block.kind == "metric":
        keys = [METRICS]
    else:
        keys = [key for key, _, _ in TEXT_TARGETS]
    return [(key, TARGET_LABELS[key]) for key in [*keys, UNPLACED, DROP]]


# --------------------------------------------------------------------------------------
# Bytes to text
# --------------------------------------------------------------------------------------

_NOT_TEXT = (
    "This is not a text file. Save the document as Markdown or plain text (.md or .txt) "
    "and upload that, or paste its text."
)
_SIGNATURES = {
    b"%PDF": "This is a PDF. Copy its text and paste it, or save it as plain text first.",
    b"PK\x03\x04": (
        "This looks like a Word or other Office document. Save it as plain text or Markdown "
        "(.txt or .md), or copy its text and paste it."
    ),
    b"\xd0\xcf\x11\xe0": "This looks like an old Word document. Save it as plain text first.",
    b"{\\rtf": "This is a rich-text (RTF) file. Save it as plain text first.",
}


def decode(data: bytes) -> str:
    """Uploaded bytes as text. Raises UnreadableDocument for binary or non-UTF-8 data."""
    if len(data) > MAX_BYTES:
        raise UnreadableDocument(
            f"The file is {len(data) / 1000:,.0f} KB; the limit is {MAX_BYTES // 1000:,} KB."
        )
    if not data.strip():
        raise UnreadableDocument("The file is empty.")
    for signature, message in _SIGNATURES.items():
        if data.startswith(signature):
            raise UnreadableDocument(message)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableDocument(_NOT_TEXT) from None
    elif b"\x00" in data:
        raise UnreadableDocument(_NOT_TEXT)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UnreadableDocument(
                "This file is not UTF-8 text. Save it with UTF-8 encoding (most editors "
                "offer it under Save As), or paste its text."
            ) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise UnreadableDocument(_NOT_TEXT)
    return text


# --------------------------------------------------------------------------------------
# Text to chunks: headings, paragraphs (lists, tables and quotes included), code
# --------------------------------------------------------------------------------------


@dataclass
class _Chunk:
    kind: str  # "heading" or "para"
    source: str  # as written
    text: str = ""  # heading text without its markers
    level: int = 0  # heading level, 1-6


_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _chunks(text: str) -> list[_Chunk]:
    lines = text.split("\n")
    chunks: list[_Chunk] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            chunks.append(_Chunk("para", "\n".join(para).strip("\n")))
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        fence = _FENCE.match(line)
        if fence:
            block = [line]
            i += 1
            while i < len(lines):
                block.append(lines[i].rstrip())
                if lines[i].strip().startswith(fence.group(1)):
                    break
                i += 1
            para.extend(block)
            i += 1
            continue
        if not line.strip():
            flush()
        elif m := _ATX.match(line):
            flush()
            name = line[m.end() :].strip()
            closing = name.rstrip("#")  # an optional closing sequence: "## Title ##"
            if closing != name and (not closing or closing[-1] in " \t"):
                name = closing.strip()
            chunks.append(_Chunk("heading", line.strip(), name, len(m.group(1))))
        elif (
            len(para) == 1
            and _SETEXT.match(line)
            and not para[0].lstrip().startswith((">", "-", "*", "+", "|"))
        ):
            heading = para.pop()
            chunks.append(
                _Chunk("heading", f"{heading}\n{line}", heading.strip(), 1 if "=" in line else 2)
            )
        elif _RULE.match(line):
            flush()  # a thematic break: layout, not text
        else:
            para.append(line)
        i += 1
    flush()
    return [c for c in chunks if c.kind == "heading" or c.source.strip()]


# --------------------------------------------------------------------------------------
# What a heading or label names
# --------------------------------------------------------------------------------------

PR, FAQ, METRICS_SECTION, WB = "pr", "faq", "metrics", "wb"


_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


def _plain(text: str) -> str:
    """Text without Markdown emphasis, code and link markup, for reading labels.

    Every pattern is bounded, so a hostile line of brackets or asterisks costs
    linear time, not quadratic.
    """
    text = _ESCAPE.sub(r"\1", text)
    text = re.sub(r"\[([^\]\[\n]{0,500})\]\([^()\s]{0,2000}\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(\S(?:[^\n]{0,300}?\S)?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(\S(?:[^\n*_]{0,300}?\S)?)\1(?![\w*])", r"\2", text)
    text = re.sub(r"`([^`\n]{1,300})`", r"\1", text)
    return text.strip()


def _text(text: str) -> str:
    """Text without Markdown emphasis or backslash escapes, for fields that show plain
    text. Links stay as written, so no address is lost."""
    text = _ESCAPE.sub(r"\1", text)
    text = re.sub(r"(\*\*|__)(\S(?:[^\n]{0,300}?\S)?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(\S(?:[^\n*_]{0,300}?\S)?)\1(?![\w*])", r"\2", text)
    return text.strip()


def _norm(text: str) -> str:
    text = _plain(text).lower().replace("’", "'").replace("&", " and ")
    text = re.sub(r"^(?:part|section|step)?\s*(?:\d+|[ivx]+)\s*[.):—–-]\s*", "", text)
    text = re.sub(r"[^\w\s']", " ", text)
    return re.sub(r"\s+", " ", text).strip(" '")


_CONTAINERS: dict[str, tuple[str, str]] = {}
for _spellings, _value in [
    (
        "press release|the press release|pr|mock press release|draft press release|"
        "announcement|the announcement|launch announcement|news release|press",
        (PR, ""),
    ),
    (
        "faq|faqs|frequently asked questions|questions and answers|q and a|qa|questions",
        (FAQ, "external"),
    ),
    (
        "customer faq|customer faqs|external faq|external faqs|public faq|customer questions|"
        "external questions|external|customer frequently asked questions|"
        "external frequently asked questions|faq external|faq customer|faq for customers",
        (FAQ, "external!"),
    ),
    (
        "internal faq|internal faqs|stakeholder faq|stakeholder faqs|stakeholders faq|"
        "stakeholder questions|internal questions|internal|business faq|team faq|"
        "internal frequently asked questions|stakeholder frequently asked questions|"
        "faq internal|faq stakeholders|faq for stakeholders|leadership faq",
        (FAQ, "internal!"),
    ),
    (
        "success metrics|metrics|how we will measure success|how we'll measure success|"
        "how we measure success|measuring success|measures of success|kpis|key metrics|"
        "goals and metrics|success criteria|metrics for success|success measures|"
        "how we will know|how will we know it worked",
        (METRICS_SECTION, ""),
    ),
    (
        "working backwards|the working backwards questions|five questions|"
        "the five questions|the five customer questions|customer questions we answered",
        (WB, ""),
    ),
]:
    for _name in _spellings.split("|"):
        _CONTAINERS.setdefault(_name, _value)
_CONTAINERS["customer questions"] = (FAQ, "external!")

_FIELDS: dict[str, str] = {}
for _spellings, _target in [
    ("headline|title of the press release", "press_release.headline"),
    ("subheading|sub heading|subhead|sub headline|subtitle|sub title", "press_release.subheading"),
    (
        "summary|summary paragraph|overview|introduction|intro|opening paragraph",
        "press_release.summary",
    ),
    ("the problem|problem paragraph|problem", "press_release.problem"),
    (
        "solution|the solution|solution paragraph|how it works|our solution",
        "press_release.solution",
    ),
    (
        "quote from the leader|leader quote|leader's quote|leadership quote|quote from leader|"
        "company quote|spokesperson quote|executive quote|internal quote|quote from you|"
        "quote from the company|quote from a leader",
        "press_release.leader_quote",
    ),
    (
        "how to get started|getting started|get started|how to start|availability|how to get it",
        "press_release.getting_started",
    ),
    (
        "customer quote|quote from a customer|quote from the customer|customer testimonial|"
        "testimonial|customer's quote",
        "press_release.customer_quote",
    ),
    (
        "call to action|closing|closing and call to action|closing call to action|learn more",
        "press_release.call_to_action",
    ),
    (
        "customer|the customer|who is the customer|who the customer is|target customer|"
        "our customer|who exactly is the customer|who are the customers|customers",
        "customer.who",
    ),
    (
        "how many|how many customers|how many are there|how many of them are there|"
        "how many of them|number of customers",
        "customer.how_many",
    ),
    ("evidence|how do we know|how we know|customer evidence", "customer.evidence"),
    (
        "problem in the customer's words|the problem in the customer's words|"
        "problem in the customers words|customer problem|the customer problem|"
        "problem statement|customer problem statement|customer problem or opportunity|"
        "what problem or opportunity does the customer have|the customer's problem",
        "problem.statement",
    ),
    (
        "what they do today|what do they do today|what they do today instead|"
        "what do they do today instead|today|current alternatives|alternatives|workarounds|"
        "how they solve it today|status quo|what customers do today",
        "problem.today",
    ),
    (
        "the most important benefit|most important benefit|the most important customer benefit|"
        "most important customer benefit|key benefit|customer benefit|benefit|the benefit|"
        "the one most important customer benefit",
        "benefit.benefit",
    ),
]:
    for _name in _spellings.split("|"):
        _FIELDS.setdefault(_name, _target)
for _step in doc.STEPS:  # our own labels, as the step pages show them
    for _f in _step.fields:
        _FIELDS.setdefault(_norm(_f.label), f"{_step.key}.{_f.key}")

_SHORT_TARGETS = {f"{s.key}.{f.key}" for s in doc.STEPS for f in s.fields if not f.markdown}
_DOC_TITLE = re.compile(
    r"^\s*(?:pr\s*/\s*faqs?|pr\s*faqs?|prfaqs?|pr-faqs?|working backwards(?: document)?)\b"
    r"\s*(?:[:—–-]+\s*|\s+for\s+)?",
    re.I,
)


def _names(name: str, loose: bool = True) -> list[tuple[str, str, str]]:
    """The ways a heading may name a section, as (name, leftover, how).

    "External FAQ (for customers)" also reads as "External FAQ", leaving an aside;
    "Customer: busy parents" also reads as "Customer", leaving the rest of the line.
    Only headings read loosely; a plain line must name a section exactly.
    """
    if len(name) > 200:
        return []  # a paragraph, not a section's name
    names = [(_norm(name), "", "")]
    if loose:
        bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name)
        asides = " ".join(re.findall(r"\([^)]*\)|\[[^\]]*\]", name))
        names.append((_norm(bare), asides, "aside"))
        parts = re.split(r"\s*(?::|—|–|\s-\s)\s*", name, maxsplit=1)
        if len(parts) == 2:
            names.append((_norm(re.sub(r"\([^)]*\)", " ", parts[0])), parts[1].strip(), "rest"))
    return names


def _container_match(name: str, loose: bool = True) -> tuple[tuple[str, str], str, str] | None:
    return next(
        ((_CONTAINERS[n], left, how) for n, left, how in _names(name, loose) if n in _CONTAINERS),
        None,
    )


def _field_match(
    name: str, context: str | None, last_field: str | None, loose: bool = True
) -> tuple[str, str, str] | None:
    found = next(
        ((_FIELDS[n], left, how) for n, left, how in _names(name, loose) if n in _FIELDS), None
    )
    if found is None:
        return None
    target, left, how = found
    if target == "press_release.problem" and (
        context == WB or (context != PR and last_field and last_field.startswith("customer."))
    ):
        target = "problem.statement"
    return target, left, how


def _container(name: str, loose: bool = True) -> tuple[str, str] | None:
    found = _container_match(name, loose)
    return found[0] if found else None


def _field(
    name: str, context: str | None, last_field: str | None, loose: bool = True
) -> str | None:
    found = _field_match(name, context, last_field, loose)
    return found[0] if found else None


# Patterns below run on stripped single lines, so none can backtrack over long runs.
_BOLD_LINE = re.compile(r"^(\*\*|__)(?P<text>[^\n]+?)\1:?$")
_LABEL = re.compile(
    r"^\s*(?:(?P<b>\*\*|__)(?P<bl>[^*_\n]{1,80}?)\s*:\s*(?P=b)|(?P<b2>\*\*|__)(?P<bl2>[^*_\n]{1,80}?)(?P=b2)\s*:"
    r"|(?P<pl>[A-Z][^:\n*_]{0,60}?)\s*:)[ \t]*(?P<rest>[\s\S]*)$"
)
_ITALIC_LINE = re.compile(r"^(\*|_)(?P<text>[^*_\n][^\n]*?)\1$")


def _label(
    chunk_source: str, context: str | None, last_field: str | None
) -> tuple[str, str, str] | None:
    """(target, label, rest) when a paragraph opens with a known label, e.g. "**How many:**"."""
    m = _LABEL.match(chunk_source)
    if not m:
        return None
    label = m.group("bl") or m.group("bl2") or m.group("pl") or ""
    target = _field(label, context, last_field, loose=False)
    if not target:
        return None
    return target, label.strip(), m.group("rest").strip()


# --------------------------------------------------------------------------------------
# Datelines and quotes
# --------------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_TEXT = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH}\s+\d{{4}}|\[[^\]\n]{{1,30}}\]|launch day|today)"
)
_DATELINE = re.compile(
    rf"^\W{{0,4}}[A-Z][^\n—–]{{0,60}}?\s*(?:—|–|--|-|,|\()\s*(?:\*\*|__|\*|_)?{_DATE_TEXT}"
    rf"(?:\*\*|__|\*|_)?\s*\)?\s*(?:—|–|--|-|:|\.)"
    rf"|^\W{{0,4}}(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})\s*(?:—|–|--|-|:)",
    re.I,
)
_QUOTE_OPEN = "\"“”„«‘'"
_SAID = re.compile(r"\b(?:said|says|explains|explained|adds|added|noted|according to)\b", re.I)
# A speaker's words run to the end of the sentence; "Dr." or "J." do not end it.
_WHO = r"(?:\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|St|Inc|Jr|Sr|Co|Ltd|[A-Z])\.|[^.!?\"“”\n])"
_SPEAKER_AFTER = re.compile(
    rf"[,”\"']\s*(?:said|says|explains|explained|adds|added|noted)\s+(?P<who>{_WHO}{{2,160}})",
    re.I,
)
_SPEAKER_BEFORE = re.compile(
    rf"(?P<who>[A-Z]{_WHO}{{2,160}}?)\s*,?\s*(?:said|says|explains|explained|adds|added|noted)"
    r"\b\s*[,:]?\s*[\"“]",
)
_ATTRIBUTION = re.compile(r"^\s*(?:>\s*)*(?:—|–|--|-|~)\s*(?P<who>[^\n]{2,160})$")
_ATTRIBUTION_INLINE = re.compile(r"[\"”]\s*(?:—|–|--|~)\s*(?P<who>[^\n\"“”]{2,160})$")
_LEADER_WORDS = re.compile(
    r"\b(?:ceo|cto|cfo|coo|cpo|cmo|svp|evp|vp|vice[- ]president|president|director|head of|"
    r"heads|leads|runs|general manager|gm|founder|co-founder|cofounder|chief|leader|"
    r"product lead|spokesperson|managing director)\b",
    re.I,
)
_COMPANY = re.compile(
    r"(?:^|[—–-]\s+|\.\s+|,\s+)(?:from today,?\s+)?"
    r"(?P<co>[A-Z][\w&'’.-]*(?:\s+(?:&|and|[A-Z][\w&'’.-]*)){0,3})"
    r"\s+(?:today\s+)?(?:announced|announces|launched|launches|is launching|introduced|"
    r"introduces|unveiled|unveils|released|releases|customers)\b"
)


_CUSTOMER_WORDS = re.compile(
    r"\b(?:a|an|our|one|longtime|long-time|loyal)\s+(?:[\w&'’-]+\s+){0,3}?"
    r"(?:customer|user|shopper|subscriber|member|client|patient|buyer|rider|guest)s?\b",
    re.I,
)


def _speaker_role(who: str, company: str) -> str:
    """The leader's quote for someone who speaks for the company, else the customer's.

    "Priya Shah, Director of Customer Experience at Harbour Market" speaks for it;
    "Tom Reed, a Harbour Market customer", "a nurse in Leeds" and "the finance
    director of a design studio" do not.
    """
    title = bool(_LEADER_WORDS.search(who))
    ours = bool(company) and company.lower() in who.lower()
    named = re.search(r"\b(?:at|of|from|in)\s+(?:[A-Z0-9])", who)
    unnamed = re.search(r"\b(?:at|of|for|from|in)\s+an?\s", who)
    if ours and title:
        return _LEADER
    if _CUSTOMER_WORDS.search(who):
        return _CUSTOMER
    if unnamed or (company and named and not ours):
        return _CUSTOMER  # someone at another organisation, or from a place
    return _LEADER if ours or title else _CUSTOMER


def _is_dateline(text: str) -> bool:
    return bool(_DATELINE.match(_plain(text.split("\n", 1)[0][:300]) + " -"))


def _quote_speaker(source: str) -> tuple[bool, str]:
    """(is it a quote, who speaks) for a paragraph."""
    lines = source.split("\n")
    blockquote = all(line.lstrip().startswith(">") or not line.strip() for line in lines)
    plain = _plain(source[:3000])
    who = ""
    if (
        (m := _ATTRIBUTION.match(lines[-1][:400]))
        or (m := _ATTRIBUTION_INLINE.search(_plain(lines[-1][-400:])))
        or (m := _SPEAKER_AFTER.search(plain))
        or (m := _SPEAKER_BEFORE.search(plain))
    ):
        who = m.group("who")
    stripped = plain.lstrip("> \t")
    quoted = stripped[:1] in _QUOTE_OPEN and bool(_SAID.search(plain) or who)
    if not quoted and who and sum(plain.count(q) for q in '"“”') >= 2:
        quoted = True
    return blockquote or quoted, who.strip(" ,;:")


def _unquote(source: str) -> str:
    """A blockquote's text without its markers."""
    lines = source.split("\n")
    if all(line.lstrip().startswith(">") or not line.strip() for line in lines):
        return "\n".join(re.sub(r"^\s*>\s?", "", line) for line in lines).strip()
    return source


# --------------------------------------------------------------------------------------
# FAQ and metrics sections
# --------------------------------------------------------------------------------------

_Q = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?\s*(?:Q|Question)\s*\d*\s*[:.)]\s*(?:\*\*|__)?\s*(?P<q>.*?)\s*(?:\*\*|__)?\s*$"
)
_A = re.compile(
    r"^\s*(?:\*\*|__)?\s*(?:A|Answer)\s*\d*\s*[:.)](?:\*\*|__)?\s*(?:\*\*|__)?[ \t]*(?P<a>.*)$"
)
_NUMBERED_Q = re.compile(r"^\s*(?:\*\*|__)?\d{1,3}[.)]\s+(?:\*\*|__)?(?P<q>.+?\?)(?:\*\*|__)?\s*$")
_BOLD_Q = re.compile(r"^\s*(\*\*|__)(?P<q>[^\n]+?)\1\s*$")
# "**Q: How much?** Free." and "**How much?** Free.": the answer starts on the same line.
_BOLD_Q_INLINE = re.compile(
    r"^(?:[-*+]\s+)?(\*\*|__)\s*(?P<qa>(?:Q|Question)\s*\d*\s*[:.)]\s*)?(?P<q>[^\n]+?\?)\s*\1"
    r"\s*(?P<rest>\S.*)$"
)
_Q_PREFIX = re.compile(r"^(?:Q|Question)\s*\d*\s*[:.)]\s*")


def _squeeze(line: str) -> str:
    """A line with its runs of spaces made single, so no pattern can backtrack on them."""
    return re.sub(r"\s+", " ", line).strip()


def _question_style(line: str, first: bool, alone: bool) -> tuple[str, str, str] | None:
    """(style, question, the answer's start) if `line` opens an FAQ entry. `first`: it
    opens its paragraph; `alone`: the paragraph has no other line. A plain line ending
    in "?" is a question only where it opens a paragraph (pasted text puts the answer
    on the next line)."""
    line = _squeeze(line)
    if m := _BOLD_Q_INLINE.match(line):
        return ("qa" if m.group("qa") else "bold"), m.group("q"), m.group("rest")
    if (m := _Q.match(line)) and m.group("q"):
        return "qa", m.group("q"), ""
    if m := _NUMBERED_Q.match(line):
        return "numbered", m.group("q"), ""
    if m := _BOLD_Q.match(line):
        q = m.group("q").strip()
        if q.endswith("?") or q.endswith("?:"):
            return "bold", q.rstrip(":"), ""
    limit = doc.QUESTION_MAX if alone else 200
    if first and line.strip().endswith("?") and len(line) <= limit:
        text = line.strip()
        if not text.startswith((">", "|", "-", "*")):
            return "plain", text, ""
    return None


_NUMBER = re.compile(
    r"^(?P<pre>[£$€¥])?\s*(?P<n>[-+]?(?:\d[\d,]*)?\.?\d+)\s*(?P<unit>[^\d\s].{0,39})?$"
)


def _number(text: str) -> tuple[str, str] | None:
    """("9.4", "%") from "9.4 %"; None when `text` is not a number with a unit."""
    text = text.strip().rstrip(".")
    if len(text) > 60:
        return None
    m = _NUMBER.match(text)
    if not m:
        return None
    number = m.group("n").replace(",", "")
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 15:
        return None
    unit = (m.group("pre") or "") + (m.group("unit") or "").strip()
    return number, unit[:40]


_QUARTER_END = {"1": "03-31", "2": "06-30", "3": "09-30", "4": "12-31"}


def _due(text: str) -> str | None:
    """An ISO date from "2027-03-31", "31 March 2027", "March 2027", "Q3 2027", "2027"."""
    text = _plain(text).strip().rstrip(".").lower()
    text = re.sub(r"^(?:the\s+)?(?:end\s+of\s+)?", "", text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    if m := re.fullmatch(r"q([1-4])\s*(?:of\s+)?(?:fy\s*)?(\d{4})", text):
        return f"{m.group(2)}-{_QUARTER_END[m.group(1)]}"
    if m := re.fullmatch(r"(?:h([12]))\s*(\d{4})", text):
        return f"{m.group(2)}-{'06-30' if m.group(1) == '1' else '12-31'}"
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-12-31"
    for pattern in ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y"):
        try:
            cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.replace(",", "").replace(".", ""))
            return datetime.strptime(cleaned, pattern).date().isoformat()
        except ValueError:
            continue
    for pattern in ("%B %Y", "%b %Y"):
        try:
            first = datetime.strptime(text.replace(",", "").replace(".", ""), pattern).date()
        except ValueError:
            continue
        return date(
            first.year, first.month, calendar.monthrange(first.year, first.month)[1]
        ).isoformat()
    return None


_METRIC_LINE = re.compile(
    r"^(?P<name>.+?)(?:\s*[:—–]\s*|\s+-\s+|\s+(?=from\b|baseline\b|target\b|goal\b))"
    r"(?P<rest>.+)$",
    re.I,
)
_VALUE = r"(?:[^,;]|(?<=\d),(?=\d{3}))+?"  # "20,000" is one value; "5, by" is not
_FROM_TO = re.compile(
    rf"(?:(?:(?:from|baseline:?|currently|today:?|now)\s+)?(?P<base>{_VALUE})\s*[,;]?\s*)?"
    rf"(?:\bto\b|→|->|⟶|=>|\btarget:?|\bgoal:?)\s*(?P<target>{_VALUE})"
    r"(?:\s*[,;]?\s*(?:by|due:?|before|in)\s+(?P<due>[^,;()]+?))?"
    r"\s*(?P<kind>[(\[](?:input|output)(?: metric)?[)\]])?\s*\.?$",
    re.I,
)


def _metric_from_line(line: str) -> dict[str, str] | None:
    """A metric from "Name: from 9.4% to 2% by 2027-03-31 (output)", or None."""
    text = _squeeze(re.sub(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+", "", line))
    if len(text) > 300:
        return None
    kind = "output"
    if m := re.search(r"\s*[(\[](input|output)(?: metric)?[)\]]\s*", text, re.I):
        kind = m.group(1).lower()
        text = (text[: m.start()] + " " + text[m.end() :]).strip()
    if m := re.match(r"^(input|output)(?: metric)?\s*[:—–-]\s*", text, re.I):
        kind = m.group(1).lower()
        text = text[m.end() :]
    m = _METRIC_LINE.match(text)
    if not m:
        return None
    name = _text(m.group("name")).strip(" :—–-")
    parts = _FROM_TO.fullmatch(m.group("rest").strip())
    if not parts or not name or len(name) > 200:
        return None
    target = _number(parts.group("target"))
    base = _number(parts.group("base")) if parts.group("base") else ("", "")
    due = _due(parts.group("due")) if parts.group("due") else ""
    if not target or base is None or due is None:
        return None
    return {
        "name": name,
        "kind": kind,
        "unit": target[1] or base[1],
        "baseline": base[0],
        "target": target[0],
        "due": due,
    }


def _table_rows(source: str) -> list[list[str]]:
    rows = []
    for line in source.split("\n"):
        line = line.strip()
        if not line.startswith("|") and "|" not in line:
            return []
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip("|"))]
        rows.append(cells)
    return rows


_COLUMNS = {
    "name": ("metric", "name", "measure", "kpi", "what", "metric name"),
    "kind": ("kind", "type"),
    "unit": ("unit", "units"),
    "baseline": ("baseline", "today", "current", "now", "from", "start", "starting point"),
    "target": ("target", "goal", "to"),
    "due": ("due", "by", "date", "deadline", "when", "due date", "target date", "due by"),
}
_SEPARATOR_ROW = re.compile(r"^:?-{2,}:?$")


# --------------------------------------------------------------------------------------
# The reader: walk the chunks, keeping track of the section each one sits in
# --------------------------------------------------------------------------------------

_LEADER, _CUSTOMER = "press_release.leader_quote", "press_release.customer_quote"
_PR_ORDER = ("press_release.summary", "press_release.problem", "press_release.solution")
_CTA_CUE = re.compile(
    r"https?://|www\.|\.example\b|\.com\b|\blearn more\b|\bvisit\b|\bfind out\b", re.I
)
_START_CUE = re.compile(
    r"\bget(?:ting)? started\b|\bto start\b|\bavailable\b|\bdownload\b|\bsign up\b|"
    r"\bswitch (?:it )?on\b|\bopen the app\b|\bappears\b",
    re.I,
)


def _label_of(target: str) -> str:
    return TARGET_LABELS[target].split(": ", 1)[-1].lower()


@dataclass
class _Pending:
    block: Block
    quote: bool
    who: str
    dateline_only: bool = False


class _Reader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.container: str | None = None
        self.container_level = 0
        self.container_name = ""
        self.audience = "external"
        self.audience_sure = False
        self.field: str | None = None
        self.field_level = 0
        self.field_name = ""
        self.last_field: str | None = None
        self.unknown_level: int | None = None
        self.headline: Block | None = None
        self.headline_level = 0
        self.subheading_done = False
        self.since_headline = 0
        self.buffer: list[_Chunk] = []
        self.pending: list[_Pending] = []
        self.placed_by_name: set[str] = set()
        self.doc_title = ""
        self.implicit_headline: Block | None = None
        self.structured = False
        self.metric_kind = "output"

    # ---- blocks ---------------------------------------------------------------------

    def add(
        self, kind: str, source: str, target: str, confidence: str, reason: str, **kw: Any
    ) -> Block:
        block = Block(len(self.blocks), kind, source, target, confidence, reason, **kw)
        self.blocks.append(block)
        return block

    def text(
        self, source: str, target: str, confidence: str, reason: str, text: str | None = None
    ) -> Block:
        return self.add(
            "text", source, target, confidence, reason, text=source if text is None else text
        )

    def unplaced(self, source: str, reason: str) -> Block:
        return self.text(source, UNPLACED, GUESS, reason)

    # ---- sections -------------------------------------------------------------------

    def demote_headline(self) -> None:
        """An explicit press release begins after a heading we took for its headline:
        that heading was the document's title, or a section of its own."""
        block, self.implicit_headline = self.implicit_headline, None
        if block is None:
            return
        if (
            block is self.blocks[0]
            and self.headline_level == 1
            and not self.doc_title
            and len(block.text) <= doc.TITLE_MAX
        ):
            self.doc_title = block.text
            self.blocks.remove(block)
        else:
            block.target, block.confidence = UNPLACED, GUESS
            block.reason = "A heading before the press release begins"
        for other in self.blocks:
            if other.target == "press_release.subheading":
                other.target, other.confidence = UNPLACED, GUESS
                other.reason = "Before the press release begins"
        for item in self.pending:
            item.block.target, item.block.confidence = UNPLACED, GUESS
            item.block.reason = "Before the press release begins"
        self.pending = []
        self.headline = None
        self.subheading_done = False
        self.since_headline = 0

    def enter(self, container: str, level: int, name: str, audience: str = "") -> None:
        self.flush()
        if container == PR:
            self.demote_headline()
        self.container, self.container_level, self.container_name = container, level, name
        self.field = None
        self.unknown_level = None
        self.metric_kind = "output"
        if container == FAQ:
            self.audience = audience.rstrip("!") or "external"
            self.audience_sure = audience.endswith("!")
        self.structured = True

    def set_field(self, target: str, level: int, name: str) -> None:
        self.flush()
        if target == "press_release.headline":
            self.demote_headline()
        implied = PR if target.startswith("press_release.") else WB
        if self.container != implied:
            self.container, self.container_level, self.container_name = implied, level - 1, ""
        self.field, self.field_level, self.field_name = target, level, name
        self.last_field = target
        self.unknown_level = None
        self.placed_by_name.add(target)
        self.structured = True

    def flush(self) -> None:
        """Read a buffered FAQ or metrics section into blocks."""
        chunks, self.buffer = self.buffer, []
        if not chunks:
            return
        if self.container == FAQ:
            self.read_faq(chunks)
        elif self.container == METRICS_SECTION:
            self.read_metrics(chunks)

    # ---- headings -------------------------------------------------------------------

    def heading(self, chunk: _Chunk, loose: bool = True) -> None:
        name = chunk.text
        level = chunk.level
        plain = _plain(name)[:300]
        text = _text(name)
        rest = _DOC_TITLE.sub("", text, count=1).strip() if _DOC_TITLE.match(plain) else None
        if (
            rest is not None
            and len(rest or text) <= doc.TITLE_MAX
            and (rest or not _container(name))
            and not self.doc_title
            and self.headline is None
            and not any(b.target != UNPLACED for b in self.blocks)
        ):
            # "PR/FAQ: Slot hold" names the document: it becomes the proposal's title
            # (shown and editable in the preview), not a headline or a section.
            self.doc_title = rest or text
            return
        if found := _container_match(name, loose):
            container, leftover, _ = found
            if (
                self.container == FAQ
                and container[0] == FAQ
                and not container[1].endswith("!")
                and level > self.container_level
            ):
                if leftover:
                    self.buffer.append(_Chunk("para", leftover))
                return  # "Questions" under an FAQ heading: the same FAQ goes on
            self.enter(container[0], level, name, container[1])
            if leftover:  # the heading's own words, e.g. "(for the people who use it)"
                self.unplaced(leftover, f"Words in the heading “{_plain(name)}”")
            return
        found_field = _field_match(name, self.container, self.last_field, loose)
        if self.container == FAQ and level > self.container_level:
            self.buffer.append(chunk)
            return
        if found_field and not (found_field[0] == "press_release.headline" and self.headline):
            target, leftover, how = found_field
            self.set_field(target, level, name)
            if leftover and how == "rest":  # "Customer: busy parents" says who
                block = self.text(leftover, target, LIKELY, f"In the heading “{_plain(name)}”")
                if target == "press_release.headline":
                    self.headline, self.headline_level, self.since_headline = block, level, 0
                if target in _SHORT_TARGETS:
                    self.field = None
            elif leftover:
                self.unplaced(leftover, f"Words in the heading “{_plain(name)}”")
            return
        if self.headline is None and self.container in (None, PR) and self.field is None:
            self.flush()
            sure = self.container == PR
            self.headline = self.text(
                chunk.source,
                "press_release.headline",
                SURE if sure else LIKELY,
                "The first heading of the press release" if sure else "The first heading",
                _text(name),
            )
            self.headline_level = level
            self.since_headline = 0
            if self.container is None:
                self.implicit_headline = self.headline
                self.container, self.container_level = PR, 0
            return
        if (
            self.container == PR
            and self.headline is not None
            and self.since_headline == 0
            and not self.subheading_done
            and level > self.headline_level
        ):
            self.subheading_done = True
            self.since_headline = 1
            self.text(
                chunk.source,
                "press_release.subheading",
                LIKELY,
                "A heading right under the headline",
                _text(name),
            )
            return
        if self.field and level > self.field_level:
            self.text(
                chunk.source, self.field, SURE, f"Under the heading “{_plain(self.field_name)}”"
            )
            return
        if self.container == METRICS_SECTION and level > self.container_level:
            lowered = name.lower()
            if "input" in lowered or "output" in lowered:
                self.flush()
                self.metric_kind = "input" if "input" in lowered else "output"
                return
        if self.container and level <= self.container_level:
            self.flush()
            self.container = None
        self.flush()
        self.field = None
        self.unknown_level = level
        self.unplaced(
            chunk.source, "A heading we do not recognise; what follows it is kept as Unplaced text"
        )

    # ---- paragraphs -----------------------------------------------------------------

    def para(self, chunk: _Chunk) -> None:
        source = chunk.source
        lines = source.split("\n")
        if len(lines) == 1:
            bold = _BOLD_LINE.match(_squeeze(source))
            candidate = bold.group("text") if bold else source.strip().rstrip(":")
            if (bold or len(candidate) <= 60) and (
                _container(candidate, loose=bool(bold))
                or (not self.blocks and not self.doc_title and _DOC_TITLE.match(_plain(candidate)))
                or (
                    _field(candidate, self.container, self.last_field, loose=bool(bold))
                    and self.container not in (FAQ, METRICS_SECTION)
                    and (bold or source.strip().endswith(":") or candidate[:1].isupper())
                    and len(candidate.split()) <= 8
                )
            ):
                self.heading(_Chunk("heading", source, candidate, 7), loose=bool(bold))
                return
        if self.container not in (FAQ, METRICS_SECTION) and (
            label := _label(source, self.container, self.last_field)
        ):
            target, name, rest = label
            if target == "press_release.headline" and self.headline is not None:
                pass
            else:
                if not rest:
                    self.heading(_Chunk("heading", source, name, 7), loose=False)
                    return
                self.flush()
                block = self.text(source, target, SURE, f"Labelled “{name}”", rest)
                self.structured = True
                self.placed_by_name.add(target)
                self.last_field = target
                if target == "press_release.headline":
                    self.headline, self.headline_level, self.since_headline = block, 7, 0
                    if self.container is None:
                        self.container, self.container_level = PR, 0
                elif target.startswith("press_release.") and self.container != PR:
                    self.container, self.container_level = PR, 0
                elif not target.startswith("press_release.") and self.container not in (WB,):
                    self.container, self.container_level = WB, 0
                if target not in _SHORT_TARGETS:
                    self.field, self.field_level, self.field_name = target, 7, name
                else:
                    self.field = None
                return
        if (
            self.container not in (FAQ, METRICS_SECTION)
            and (q := _Q.match(_squeeze(lines[0])))
            and q.group("q")
        ):
            # Questions and answers with no FAQ heading above them: an FAQ all the same.
            self.enter(FAQ, 7, "Questions and answers", "external")
        if self.container in (FAQ, METRICS_SECTION):
            self.buffer.append(chunk)
            return
        if self.unknown_level is not None:
            self.unplaced(source, "Under a heading we do not recognise")
            return
        if self.field:
            if self.field == "press_release.headline" and self.headline is None:
                self.headline = self.text(
                    source,
                    self.field,
                    SURE,
                    f"Under the heading “{_plain(self.field_name)}”",
                    _text(source),
                )
                self.since_headline = 0
                self.field = None
                return
            self.text(source, self.field, SURE, f"Under the heading “{_plain(self.field_name)}”")
            if self.field in _SHORT_TARGETS:
                self.field = None
            return
        if self.container == WB:
            self.unplaced(source, "In the working-backwards part, under no question we recognise")
            return
        if self.container == PR or self.headline is not None:
            self.press_release_para(chunk)
            return
        self.before_anything(chunk)

    def before_anything(self, chunk: _Chunk) -> None:
        source = chunk.source
        lines = [line for line in source.split("\n") if line.strip()]
        if _is_dateline(source):
            self.container, self.container_level = PR, 0
            self.press_release_para(chunk)
            return
        first = _text(lines[0])
        if (
            not self.blocks
            and len(lines) <= 2
            and len(first) <= doc.HEADLINE_MAX
            and not first.endswith((".", ":"))
            and not _LABEL.match(lines[0])
            and not lines[0].lstrip().startswith((">", "-", "*", "|", "#"))
        ):
            bold = _BOLD_LINE.match(_squeeze(lines[0]))
            self.headline = self.text(
                lines[0],
                "press_release.headline",
                LIKELY if bold else GUESS,
                "The first bold line" if bold else "The first short line of the document",
                first,
            )
            self.headline_level = 7
            self.since_headline = 0
            self.container, self.container_level = PR, 0
            self.implicit_headline = self.headline
            if bold:
                self.structured = True
            if len(lines) == 2:
                self.subheading_done = True
                self.since_headline = 1
                self.text(
                    lines[1],
                    "press_release.subheading",
                    GUESS,
                    "The line under the headline",
                    _text(lines[1]),
                )
            return
        self.unplaced(source, "Before the press release begins")

    def press_release_para(self, chunk: _Chunk) -> None:
        source = chunk.source
        lines = source.split("\n")
        if (
            self.headline is None
            and len(lines) == 1
            and len(_plain(source)) <= doc.HEADLINE_MAX
            and not _is_dateline(source)
        ):
            text = _text(source)
            if not text.endswith(".") and not _quote_speaker(source)[0]:
                bold = _BOLD_LINE.match(_squeeze(source))
                self.headline = self.text(
                    source,
                    "press_release.headline",
                    LIKELY,
                    "The first line of the press release",
                    text,
                )
                self.headline_level = 7
                self.since_headline = 0
                if bold:
                    self.structured = True
                return
        if self.headline is not None and self.since_headline == 0 and not self.subheading_done:
            self.since_headline = 1
            joined = " ".join(line.strip() for line in lines)
            italic = _ITALIC_LINE.match(_squeeze(joined))
            text = _text(joined)
            one_sentence = not re.search(r"[.!?]\s+[A-Z]", text)
            if (
                len(lines) <= 3
                and not _is_dateline(source)
                and not _quote_speaker(source)[0]
                and len(text) <= doc.SHORT_MAX
                and (italic or (one_sentence and not self.placed_by_name & set(_PR_ORDER)))
            ):
                self.subheading_done = True
                self.text(
                    source,
                    "press_release.subheading",
                    LIKELY if italic else GUESS,
                    "In italics under the headline" if italic else "The line under the headline",
                    text,
                )
                return
        self.since_headline = max(self.since_headline, 1)
        if _is_dateline(source):
            self.structured = True
            block = self.text(source, "press_release.summary", SURE, "Opens with a dateline")
            only = len(_plain(source)) <= 90 and not re.search(r"[.!?]\s+\S", _plain(source))
            self.pending.append(_Pending(block, False, "", dateline_only=only))
            return
        quote, who = _quote_speaker(source)
        block = self.text(source, UNPLACED, GUESS, "")
        if quote:
            self.structured = True
            block.text = _unquote(source)
        self.pending.append(_Pending(block, quote, who))

    # ---- FAQ ------------------------------------------------------------------------

    def read_faq(self, chunks: list[_Chunk]) -> None:
        style: str | None = None
        entry: dict[str, Any] | None = None
        entries: list[dict[str, Any]] = []
        before: list[str] = []

        def new(question: str, source: str) -> dict[str, Any]:
            item = {"question": question.strip(), "source": [source], "answer": []}
            entries.append(item)
            return item

        for chunk in chunks:
            if chunk.kind == "heading":
                if style in (None, "heading"):
                    style = "heading"
                    entry = new(_Q_PREFIX.sub("", _text(chunk.text)), chunk.source)
                elif entry is not None:
                    entry["answer"].append(chunk.source)
                    entry["source"].append(chunk.source)
                else:
                    before.append(chunk.source)
                continue
            lines = chunk.source.split("\n")
            for i, line in enumerate(lines):
                found = _question_style(line, i == 0, len(lines) == 1)
                if found and (style is None or found[0] == style):
                    style = found[0]
                    entry = new(_text(found[1]), line)
                    if found[2]:
                        entry["answer"].append(found[2])
                    continue
                if entry is None:
                    before.append(line)
                    continue
                entry["source"].append(line)
                if (
                    style == "qa"
                    and not entry["answer"]
                    and not _A.match(_squeeze(line))
                    and not entry["question"].endswith("?")
                    and line.strip()
                ):
                    entry["question"] += " " + _text(line.strip())
                    continue
                if not any(a.strip() for a in entry["answer"]) and (a := _A.match(_squeeze(line))):
                    line = a.group("a")
                entry["answer"].append(line)
            if entry is not None:
                entry["answer"].append("")
                entry["source"].append("")
            elif before:
                before.append("")
        if "\n".join(before).strip():
            self.unplaced("\n".join(before).strip(), "Text in the FAQ before its first question")
        sure = self.audience_sure
        where = _plain(self.container_name) or "FAQ"
        for item in entries:
            answer = re.sub(r"\n{3,}", "\n\n", "\n".join(item["answer"]).strip())
            self.add(
                "faq",
                "\n".join(item["source"]).strip(),
                FAQ_INTERNAL if self.audience == "internal" else FAQ_EXTERNAL,
                SURE if sure else LIKELY,
                f"A question under “{where}”"
                if sure
                else f"A question under “{where}”, read as the external (customer) FAQ",
                question=item["question"],
                answer=answer,
            )

    # ---- metrics --------------------------------------------------------------------

    def read_metrics(self, chunks: list[_Chunk]) -> None:
        for chunk in chunks:
            if chunk.kind == "heading":
                self.unplaced(chunk.source, "A heading among the success metrics")
                continue
            rows = _table_rows(chunk.source)
            if len(rows) >= 2 and all(_SEPARATOR_ROW.match(c) or not c for c in rows[1]):
                self.metric_table(chunk.source, rows)
                continue
            lines = [line for line in chunk.source.split("\n") if line.strip()]
            parsed = [_metric_from_line(line) for line in lines]
            if (
                not any(parsed)
                and len(lines) > 1
                and not re.match(r"^\s*(?:[-*+]|\d{1,3}[.)])\s", lines[0])
            ):
                self.unplaced(chunk.source, "Text among the success metrics that is not a metric")
                continue
            for line, metric in zip(lines, parsed, strict=True):
                if metric:
                    if not re.search(r"[(\[](?:input|output)", line, re.I) and not re.match(
                        r"^\s*(?:[-*+]\s+)?(?:input|output)", line, re.I
                    ):
                        metric["kind"] = self.metric_kind
                    self.add(
                        "metric",
                        line,
                        METRICS,
                        LIKELY,
                        "A success metric with a target",
                        metric=metric,
                    )
                else:
                    name = _text(re.sub(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+", "", line))
                    self.add(
                        "metric",
                        line,
                        UNPLACED,
                        GUESS,
                        "Among the success metrics, but no target could be read from it",
                        metric={**_empty_metric(), "name": name[:200], "kind": self.metric_kind},
                    )

    def metric_table(self, source: str, rows: list[list[str]]) -> None:
        header = [_norm(c) for c in rows[0]]
        columns: dict[str, int] = {}
        for key, names in _COLUMNS.items():
            for i, cell in enumerate(header):
                if cell in names and i not in columns.values():
                    columns.setdefault(key, i)
        if any(cell and i not in columns.values() for i, cell in enumerate(header)):
            # Columns we cannot place: keep the table whole rather than drop them.
            self.unplaced(source, "A table among the success metrics with columns we do not know")
            return
        lines = source.split("\n")
        if "name" not in columns:
            columns["name"] = 0
        for row, line in zip(rows[2:], lines[2:], strict=False):
            extra = any(cell.strip() for i, cell in enumerate(row) if i >= len(header))
            metric = None if extra else _metric_from_row(row, columns, self.metric_kind)
            if metric:
                self.add(
                    "metric",
                    line,
                    METRICS,
                    LIKELY,
                    "A row of the success metrics table",
                    metric=metric,
                )
            else:
                name = row[columns["name"]] if columns["name"] < len(row) else line
                self.add(
                    "metric",
                    line,
                    UNPLACED,
                    GUESS,
                    "A row of the success metrics table that could not be read",
                    metric={
                        **_empty_metric(),
                        "name": _text(name)[:200],
                        "kind": self.metric_kind,
                    },
                )

    # ---- the press release, by position ---------------------------------------------

    def resolve_press_release(self) -> None:
        pending = self.pending
        if not pending:
            return
        company = ""
        for item in pending:
            if not item.quote and (m := _COMPANY.search(_plain(item.block.source[:3000]))):
                company = m.group("co")
                break
        taken = set(self.placed_by_name)
        quotes = [p for p in pending if p.quote]
        for item in quotes:
            block, who = item.block, item.who
            role = None
            if who:
                role = _speaker_role(who, company)
            if role:
                block.target, block.confidence = role, LIKELY
                kind = (
                    "speaks for the company"
                    if role == _LEADER
                    else "is not from the company, so a customer"
                )
                block.reason = f"A quote from {who[:80]}, who {kind}"
            else:
                block.target = _LEADER if _LEADER not in taken else _CUSTOMER
                block.confidence = GUESS
                block.reason = (
                    "A quote with no speaker named; the first quote in a press release is "
                    "usually the leader's"
                    if block.target == _LEADER
                    else "A second quote with no speaker named"
                )
            taken.add(block.target)
        first_quote = min((p.block.index for p in quotes), default=None)
        last_quote = max((p.block.index for p in quotes), default=None)
        prose = [p for p in pending if not p.quote]
        before = [p for p in prose if first_quote is None or p.block.index < first_quote]
        after = [p for p in prose if first_quote is not None and p.block.index > first_quote]
        slots = [t for t in _PR_ORDER if t not in self.placed_by_name]
        if not slots:
            slots = ["press_release.solution"]
        n = 0
        join_summary = False
        for item in before:
            block = item.block
            if block.target == "press_release.summary" and block.confidence == SURE:
                join_summary = item.dateline_only
                if "press_release.summary" in slots:
                    slots.remove("press_release.summary")
                    slots = slots or ["press_release.solution"]
                continue
            if join_summary:
                join_summary = False
                block.target, block.confidence = "press_release.summary", LIKELY
                block.reason = "The paragraph after the dateline"
                continue
            target = slots[min(n, len(slots) - 1)]
            extra = n >= len(slots)
            n += 1
            block.target, block.confidence = target, GUESS
            block.reason = (
                f"Another paragraph before the first quote, added to the {_label_of(target)}"
                if extra
                else f"In the usual order of a press release, this paragraph is the "
                f"{_label_of(target)}"
            )
        if not after:
            return
        between = [p for p in after if last_quote is not None and p.block.index < last_quote]
        tail = [p for p in after if last_quote is None or p.block.index > last_quote]
        for item in between:
            item.block.target, item.block.confidence = "press_release.getting_started", GUESS
            item.block.reason = "Between the quotes; in the usual order that is how to get started"
        for i, item in enumerate(tail):
            block = item.block
            last = i == len(tail) - 1
            plain = _plain(block.source)
            if last and (between or len(tail) > 1 or _CTA_CUE.search(plain)):
                block.target = "press_release.call_to_action"
                block.confidence = LIKELY if _CTA_CUE.search(plain) else GUESS
                block.reason = "The closing paragraph" + (
                    ", with a link or a pointer to learn more" if _CTA_CUE.search(plain) else ""
                )
            else:
                block.target = "press_release.getting_started"
                block.confidence = LIKELY if _START_CUE.search(plain) else GUESS
                block.reason = "After the quote; in the usual order that is how to get started"

    # ---- the whole document ---------------------------------------------------------

    def finish(self) -> Reading:
        self.flush()
        for i, block in enumerate(self.blocks):
            block.index = i
        self.resolve_press_release()
        self.answers_to_steps()
        self.fit()
        messages: list[str] = []
        if not self.structured:
            self.headline = None
            first = next(
                (
                    b
                    for b in self.blocks
                    if b.kind == "text" and not b.reason.startswith("The document's title")
                ),
                None,
            )
            for block in self.blocks:
                block.target, block.confidence = UNPLACED, GUESS
                block.reason = "No part of a PR/FAQ recognised"
            if first is not None:
                first.target = "press_release.summary"
                first.text = first.source
                first.reason = (
                    "No part of a PR/FAQ recognised: the first paragraph becomes the summary"
                )
            messages.append(
                "We could not find the parts of a PR/FAQ in this document: no headings such as "
                "“Press release” or “FAQ”, no dateline, no quotes, no questions and answers. The "
                "first paragraph is in the summary and the rest is kept as Unplaced text. Move "
                "each paragraph where it belongs below."
            )
        guesses = sum(1 for b in self.blocks if b.confidence == GUESS and b.target != UNPLACED)
        unplaced = sum(1 for b in self.blocks if b.target == UNPLACED)
        if self.structured and guesses:
            messages.append(
                f"{guesses} {'piece was' if guesses == 1 else 'pieces were'} placed by position "
                f"alone; check {'it' if guesses == 1 else 'them'}."
            )
        if unplaced:
            messages.append(
                f"{unplaced} {'piece has' if unplaced == 1 else 'pieces have'} no place yet and "
                "will be kept as Unplaced text on the proposal, unless you move or leave "
                f"{'it' if unplaced == 1 else 'them'} out."
            )
        return Reading(self.title(), self.blocks, self.structured, messages)

    def answers_to_steps(self) -> None:
        """An FAQ that answers "Who is the customer?" or "What problem does this
        solve?" states a working-backwards step: where the document has no section for
        that step, a copy of the answer is offered for it. The entry stays in the FAQ."""
        placed = {b.target for b in self.blocks}
        blocks: list[Block] = []
        for block in self.blocks:
            blocks.append(block)
            if block.kind != "faq" or not block.answer.strip():
                continue
            question = _norm(block.question)
            target = next((t for pattern, t in _STEP_QUESTIONS if pattern.search(question)), None)
            if target is None or target in placed:
                continue
            placed.add(target)
            step, _ = _FIELD_BY_TARGET[target]
            reason = (
                f"The FAQ’s answer to “{block.question[:80]}”, copied into the {step.title} "
                "step; the FAQ keeps it too"
            )
            blocks.append(Block(0, "text", block.answer, target, LIKELY, reason, text=block.answer))
        self.blocks = blocks
        for i, block in enumerate(self.blocks):
            block.index = i

    def fit(self) -> None:
        """Keep what was detected within the document's limits: a piece that would push a
        field, the FAQ or the metrics past a limit stays Unplaced text instead."""
        used: dict[str, int] = {}
        entries = metrics = 0
        for block in self.blocks:
            if block.target == UNPLACED:
                continue
            too_much = ""
            if block.kind == "text":
                step, fld = _FIELD_BY_TARGET[block.target]
                size = len(block.text.strip() if fld.markdown else _squeeze(block.text))
                size += (2 if fld.markdown else 1) if used.get(block.target) else 0
                if used.get(block.target, 0) + size > fld.max_length:
                    too_much = (
                        f"Too long for {step.title}: {fld.label} ({fld.max_length:,} characters)"
                    )
                else:
                    used[block.target] = used.get(block.target, 0) + size
            elif block.kind == "faq":
                if entries >= doc.MAX_FAQ_ENTRIES:
                    too_much = f"The FAQ already has {doc.MAX_FAQ_ENTRIES} questions, its limit"
                elif not block.question.strip() or len(block.question) > doc.QUESTION_MAX:
                    too_much = f"The question is empty or longer than {doc.QUESTION_MAX} characters"
                elif len(block.answer) > doc.LONG_MAX:
                    too_much = f"The answer is longer than {doc.LONG_MAX:,} characters"
                else:
                    entries += 1
            elif block.kind == "metric":
                if metrics >= doc.MAX_METRICS:
                    too_much = f"There are already {doc.MAX_METRICS} success metrics, the limit"
                else:
                    metrics += 1
            if too_much:
                block.target, block.confidence = UNPLACED, GUESS
                block.reason = too_much + "; kept as Unplaced text"

    def title(self) -> str:
        if self.doc_title and "\n" not in self.doc_title:
            return "".join(ch for ch in self.doc_title if ch.isprintable()).strip()
        candidates = []
        if self.headline is not None:
            candidates.append(self.headline.text)
        candidates += [b.source for b in self.blocks]
        for candidate in candidates:
            line = next((ln for ln in _plain(candidate or "").split("\n") if ln.strip()), "")
            line = re.sub(r"^[#>\s*_-]+", "", line)
            line = "".join(ch for ch in line if ch.isprintable()).strip()
            if line:
                if len(line) > doc.TITLE_MAX:
                    line = line[: doc.TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
                return line
        return "Imported PR/FAQ"


# FAQ questions that ask a working-backwards step's question, on normalized text.
_CUSTOMER_WHO = "customer.who"
_STEP_QUESTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), target)
    for pattern, target in (
        (
            r"^who (?:exactly )?(?:is|are) (?:the|our|this|your) (?:target )?customers?\b",
            "customer.who",
        ),
        (r"^who is (?:this|it) for\b", _CUSTOMER_WHO),
        (
            r"^how many (?:customers|people|users)\b.*\b(?:are there|have|face|need)\b",
            "customer.how_many",
        ),
        (r"^how (?:do|did) we know\b", "customer.evidence"),
        (r"^what (?:customer )?problem (?:does|are|will|do)\b", "problem.statement"),
        (r"^what is the (?:customer(?:'s)? )?problem\b", "problem.statement"),
        (r"^what do (?:customers|they|people) do today\b", "problem.today"),
        (
            r"^how do (?:customers|they|people) (?:solve|handle|manage|cope with) "
            r"(?:this|it) today\b",
            "problem.today",
        ),
        (
            r"^what is the (?:single )?(?:most important|main|key) (?:customer )?benefit\b",
            "benefit.benefit",
        ),
    )
)


def _empty_metric() -> dict[str, str]:
    return dict.fromkeys(doc.METRIC_FIELDS, "") | {"kind": "output"}


def _metric_from_row(row: list[str], columns: dict[str, int], kind: str) -> dict[str, str] | None:
    def cell(key: str) -> str:
        i = columns.get(key)
        return _text(row[i]) if i is not None and i < len(row) else ""

    name = cell("name")
    if not name or len(name) > 200:
        return None
    metric = _empty_metric() | {"name": name, "kind": kind}
    given = cell("kind").lower()
    if given.startswith(("input", "output")):
        metric["kind"] = "input" if given.startswith("input") else "output"
    elif given:
        return None
    unit = cell("unit")
    for key in ("baseline", "target"):
        value = cell(key)
        if not value:
            continue
        number = _number(value)
        if number is None:
            return None
        metric[key] = number[0]
        unit = unit or number[1]
    metric["unit"] = unit[:40]
    if cell("due"):
        due = _due(cell("due"))
        if due is None:
            return None
        metric["due"] = due
    return metric


def read(text: str) -> Reading:
    """Split `text` into blocks and detect where each belongs.

    Raises UnreadableDocument when the text is empty or longer than MAX_CHARS.
    """
    if len(text) > MAX_CHARS:
        raise UnreadableDocument(
            f"The document is {len(text):,} characters long; the limit is {MAX_CHARS:,}."
        )
    if "\x00" in text:
        raise UnreadableDocument(_NOT_TEXT)
    text = (
        text.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u2029", "\n\n")
    )
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise UnreadableDocument("There is nothing to import: the document is empty.")
    reader = _Reader()
    chunks = _chunks(text)
    if not any(c.kind == "para" or c.text for c in chunks):
        raise UnreadableDocument("There is no text to import in this document, only layout.")
    for chunk in chunks:
        if chunk.kind == "heading":
            if chunk.text:
                reader.heading(chunk)
        else:
            reader.para(chunk)
    reading = reader.finish()
    if len(reading.blocks) > MAX_BLOCKS:
        raise UnreadableDocument(
            f"This document breaks into {len(reading.blocks):,} pieces; the limit is "
            f"{MAX_BLOCKS:,}. Import the PR/FAQ on its own, without appendices."
        )
    return reading


# --------------------------------------------------------------------------------------
# Blocks and choices to a document
# --------------------------------------------------------------------------------------

_FIELD_BY_TARGET = {f"{s.key}.{f.key}": (s, f) for s in doc.STEPS for f in s.fields}


def assemble(reading: Reading, choices: Mapping[int, str] | None = None) -> Assembled:
    """The document the blocks make, each block going where `choices` says (by block
    index) or, where it says nothing, where it was detected."""
    choices = choices or {}
    content = doc.empty_document()
    errors: list[str] = []
    texts: dict[str, list[str]] = {}
    unplaced: list[str] = []
    entries: list[dict[str, str]] = []
    metrics: list[dict[str, str]] = []
    for block in reading.blocks:
        choice = choices.get(block.index, block.target)
        if choice not in {key for key, _ in choices_for(block)}:
            errors.append(
                f"Piece {block.index + 1} cannot go there; choose one of the places listed for it."
            )
            continue
        if choice == DROP:
            continue
        if choice == UNPLACED:
            unplaced.append(block.source.strip())
        elif block.kind == "faq":
            audience = "internal" if choice == FAQ_INTERNAL else "external"
            entries.append(
                {
                    "id": f"f{len(entries) + 1}",
                    "audience": audience,
                    "question": block.question,
                    "answer": block.answer,
                }
            )
        elif block.kind == "metric":
            metrics.append({"id": f"m{len(metrics) + 1}", **block.metric})
        else:
            texts.setdefault(choice, []).append(block.text.strip())
    for target, parts in texts.items():
        step, fld = _FIELD_BY_TARGET[target]
        if fld.markdown:
            value = "\n\n".join(p for p in parts if p)
        else:
            value = re.sub(r"\s+", " ", " ".join(parts)).strip()
        if len(value) > fld.max_length:
            errors.append(
                f"{step.title}, {fld.label}: this would be {len(value):,} characters; the limit "
                f"is {fld.max_length:,}. Move some of it to Unplaced text."
            )
        content[step.key][fld.key] = value
    for i, entry in enumerate(entries, 1):
        if not entry["question"].strip():
            errors.append(f"FAQ question {i} is empty.")
        if len(entry["question"]) > doc.QUESTION_MAX:
            errors.append(f"FAQ question {i} is longer than {doc.QUESTION_MAX} characters.")
        if len(entry["answer"]) > doc.LONG_MAX:
            errors.append(
                f"The answer to FAQ question {i} is longer than {doc.LONG_MAX:,} characters."
            )
    if len(entries) > doc.MAX_FAQ_ENTRIES:
        errors.append(
            f"The FAQ would have {len(entries)} questions; the limit is {doc.MAX_FAQ_ENTRIES}."
        )
    for i, metric in enumerate(metrics, 1):
        if not metric["name"].strip():
            errors.append(f"Success metric {i} has no name.")
        if len(metric["name"]) > 200 or any(
            len(metric[k]) > 40 for k in ("unit", "baseline", "target")
        ):
            errors.append(f"Success metric {i} has a part that is too long.")
    if len(metrics) > doc.MAX_METRICS:
        errors.append(
            f"There would be {len(metrics)} success metrics; the limit is {doc.MAX_METRICS}."
        )
    content["faq"]["entries"] = entries
    content["benefit"]["metrics"] = metrics
    content = doc.normalized(content)
    missing = [step.title for step in doc.STEPS if not doc.step_is_complete(content, step.key)]
    return Assembled(content, "\n\n".join(u for u in unplaced if u), errors, missing)

"""Writing checks: a PR/FAQ document in, findings out. Pure functions, no database.

Each rule reads the document and yields `Finding`s naming the field (a path such as
``press_release.summary``, ``benefit.metrics.m2`` or ``faq.f3.answer``), the character
span in that field's text, the rule id, severity, a message and a concrete suggestion.
Errors block submission for review; warnings can be acknowledged with a reason.
Word lists and thresholds live in prfaq/checks_config.py.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from prfaq import checks_config as config
from prfaq import document as doc

ERROR = "error"
WARNING = "warning"

RULES: dict[str, str] = {
    "missing": "Required section missing",
    "press-release-length": "Press release too long",
    "faq-shorter": "FAQ shorter than the press release",
    "hyperbole": "Hyperbole",
    "weasel": "Weasel word",
    "benefit-number": "Benefit without a number",
    "metric-incomplete": "Metric without a number or date",
    "output-metric": "Output, not outcome",
    "long-sentence": "Long sentence",
    "readability": "Hard to read",
    "acronym": "Acronym not spelled out",
    "company-voice": "Customer quote sounds like the company",
    "quote-restates-headline": "Leader quote restates the headline",
    "few-faq": "Too few FAQ entries",
    "style": "Style (proselint)",
}


@dataclass(frozen=True)
class Finding:
    field: str
    start: int
    end: int
    rule: str
    severity: str
    message: str
    suggestion: str
    excerpt: str = ""

    @property
    def step(self) -> str:
        return self.field.split(".", 1)[0]

    @property
    def key(self) -> str:
        """Stable across unrelated edits: the rule, the field and the words flagged."""
        raw = f"{self.rule}|{self.field}|{self.excerpt.strip().lower()}"
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"key": self.key, "step": self.step}


# --- Text helpers ----------------------------------------------------------------------

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|<https?://[^>\s]+>|https?://\S+")
_QUOTED = re.compile(r"\"[^\"\n]{1,600}\"|“[^”\n]{1,600}”")
_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
_NUMBER = re.compile(r"(?<![\w.])[£$€]?\d+(?:[.,]\d+)*(?:%|k|m|bn)?(?![\w])", re.I)
_NUMBER_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|thousand|million|half|twice|double|triple|quarter|third)\b",
    re.I,
)
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n\s*\n|\n(?=\s*(?:[-*+]|\d+\.)\s)"
)
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|vs|Mr|Mrs|Ms|Dr|St|No|approx|incl)\.$", re.I)
_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z0-9&]{1,5})(s?)(?![\w-])")
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]+,")


def mask(text: str, *, quotes: bool = False) -> str:
    """`text` with code, link targets (and optionally quoted speech) blanked to spaces.

    Offsets are kept, so spans found in the masked text point into the original.
    """

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    text = _CODE.sub(blank, text)
    text = _LINK_TARGET.sub(blank, text)
    if quotes:
        text = _QUOTED.sub(blank, text)
    return text


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Spans of sentences: split at . ! ? before a capital, at blank lines and list items."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        if _ABBREVIATIONS.search(text[start:end]):
            continue
        if text[start:end].strip():
            yield _trim(text, start, end)
        start = match.end()
    if text[start:].strip():
        yield _trim(text, start, len(text))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n-*+>#":
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in re.finditer(r"\n\s*\n", text):
        if text[start : match.start()].strip():
            yield _trim(text, start, match.start())
        start = match.end()
    if text[start:].strip():
        yield _trim(text, start, len(text))


@cache
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(p).replace(r"\ ", r"\s+") for p in phrases), key=len)
    return re.compile(r"(?<![\w-])(?:" + "|".join(reversed(alternatives)) + r")(?![\w-])", re.I)


def has_number(text: str) -> bool:
    masked = mask(text)
    return bool(_NUMBER.search(masked) or _NUMBER_WORDS.search(masked))


# --- The document as fields ------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    path: str
    label: str
    text: str
    prose: bool  # sentences a reader reads (not titles or numbers)


def texts(document: dict[str, Any]) -> list[Text]:
    """Every text field in memo order: press release, FAQ, then the earlier steps."""
    d = doc.normalized(document)
    out: list[Text] = []
    for f in doc.STEPS_BY_KEY["press_release"].fields:
        out.append(Text(f"press_release.{f.key}", f.label, d["press_release"][f.key], f.markdown))
    for e in d["faq"]["entries"]:
        out.append(Text(f"faq.{e['id']}.question", "FAQ question", e["question"], False))
        out.append(Text(f"faq.{e['id']}.answer", "FAQ answer", e["answer"], True))
    for step_key in ("customer", "problem", "benefit"):
        for f in doc.STEPS_BY_KEY[step_key].fields:
            out.append(Text(f"{step_key}.{f.key}", f.label, d[step_key][f.key], f.markdown))
    return out


def _excerpt(text: str, start: int, end: int) -> str:
    return text[start:end][:120]


def _finding(
    t: Text, start: int, end: int, rule: str, severity: str, message: str, suggestion: str
) -> Finding:
    return Finding(
        t.path, start, end, rule, severity, message, suggestion, _excerpt(t.text, start, end)
    )


# --- Rules -------------------------------------------------------------------------------

Rule = Callable[[dict[str, Any], list[Text]], Iterator[Finding]]


def rule_missing(d: dict[str, Any], fields: list[Text]) -> Iterator[Finding]:
    for step in doc.STEPS:
        for f in step.fields:
            if f.required and not d[step.key][f.key].strip():
                yield Finding(
                    f"{step.key}.{f.key}", 0, 0, "missing", ERROR,
                    f"{step.title}: “{f.label}” is empty.",
                    "Write this section before asking for review.",
                )  # fmt: skip
    if not [m for m in d["benefit"]["metrics"] if m["name"].strip()]:
        yield Finding(
            "benefit.metrics", 0, 0, "missing", ERROR, "Benefit: there are no success metrics.",
            "Add at least one metric with a baseline, a target and a due date.",
        )  # fmt: skip
    if not [e for e in d["faq"]["entries"] if e["question"].strip()]:
        yield Finding(
            "faq", 0, 0, "missing", ERROR, "FAQ: there are no questions yet.",
            "Answer what customers and stakeholders will ask: use the checklist on the FAQ step.",
        )  # fmt: skip
    for e in d["faq"]["entries"]:
        if e["question"].strip() and not e["answer"].strip():
            yield Finding(
                f"faq.{e['id']}.answer", 0, 0, "missing", ERROR,
                f"FAQ: “{e['question'][:80]}” has no answer.",
                "Answer it, or remove the question if it does not apply.",
            )  # fmt: skip


def _press_release_words(d: dict[str, Any]) -> int:
    return sum(
        len(words(mask(d["press_release"][f.key])))
        for f in doc.STEPS_BY_KEY["press_release"].fields
    )


def rule_length(d: dict[str, Any], fields: list[Text]) -> Iterator[Finding]:
    pr_words = _press_release_words(d)
    budget = config.PRESS_RELEASE_WORD_BUDGET
    if pr_words > budget:
        yield Finding(
            "press_release", 0, 0, "press-release-length", ERROR,
            f"The press release has {pr_words} words; about one page is {budget}.",
            f"Cut {pr_words - budget} words: keep the customer, the problem and the benefit; "
            "move detail into the FAQ.",
        )  # fmt: skip
    faq_words = sum(
        len(words(mask(e["question"] + " " + e["answer"]))) for e in d["faq"]["entries"]
    )
    if pr_words and faq_words < pr_words:
        yield Finding(
            "faq", 0, 0, "faq-shorter", WARNING,
            f"The FAQ ({faq_words} words) is shorter than the press release ({pr_words}).",
            "The FAQ is where the hard questions get answered: risks, cost, evidence, "
            "what you are not building.",
        )  # fmt: skip


def _word_list_rule(
    fields: list[Text], phrases: list[str], rule: str, message: str, suggestion: str,
    exceptions: list[str] | None = None,
) -> Iterator[Finding]:  # fmt: skip
    pattern = _phrase_pattern(tuple(phrases))
    skip = _phrase_pattern(tuple(exceptions)) if exceptions else None
    for t in fields:
        if t.path in {"press_release.customer_quote"}:
            continue  # a customer's own words; company voice has its own rule
        masked = mask(t.text, quotes=True)
        spared = [m.span() for m in skip.finditer(masked)] if skip else []
        for m in pattern.finditer(masked):
            if any(a <= m.start() < b for a, b in spared):
                continue
            word = t.text[m.start() : m.end()]
            yield _finding(
                t, m.start(), m.end(), rule, WARNING, message.format(word=word), suggestion
            )


def rule_hyperbole(d: dict[str, Any], fields: list[Text]) -> Iterator[Finding]:
    yield from _word_list_rule(
        fields, config.HYPERBOLE, "hyperbole",
        "“{word}” claims instead of showing.",
        "Replace the adjective with the fact behind it: a number, a comparison, "
        "a customer's words.",
    )  # fmt: skip


def rule_weasel(d: dict[str, Any], fields: list[Text]) -> Iterator[Finding]:
    yield from _word_list_rule(
        fields, config.WEASEL, "weasel",
        "“{word}” hides the number.",
        "Say how many or how much: “38% of evening orders”, not “many orders”.",
        config.WEASEL_EXCEPTIONS,
    )  # fmt: skip


def rule_numbers(d: dict[str, Any], fields: list[Text]) -> Iterator[Finding]:
    benefit = d["benefit"]["benefit"]
    if benefit.strip() and not has_number(benefit):
        yield Finding(
            "benefit.benefit", 0, len(benefit), "benefit-number", WARNING,
            "The benefit has no number: how will anyone know it arrived?",
            "Put the size of the change in the sentence: “…in 2 minutes instead of 20.”",
            benefit[:120],
        )  # fmt: skip
    for m in d["benefit"]["metrics"]:
        if not m["name"].strip():
            continue
        missing = [k for k in ("baseline", "target", "due") if not m[k].strip()]
        if missing:
            yield Finding(
                f"benefit.metrics.{m['id']}", 0, 0, "metric-incomplete", ERROR,
                f"Metric “{m['name'][:80]}” has no {' or '.join(missing)}.",
                "Every metric needs where it is today (baseline), where it should be (target) "
                "and by when (due date).",
                m["name"][:120],
            )  # fmt: skip


def rule_output_metrics(d: dict[str, Any], fields: list[Text]) -> Iterator[Finding]:
    patterns = [re.compile(p, re.I) for p in config.OUTPUT_METRIC_PATTERNS]
    for m in d["benefit"]["metrics"]:
        name = m["name"].strip()
        if name and any(p.search(name) for p in patterns):
            yield Finding(
                f"benefit.metrics.{m['id']}", 0, len(name), "output-metric", WARNING,
                f"“{name[:80]}” measures work shipped, not a change for the customer.",
                "Measure what the customer gets or does differently: “orders delivered in the "
                "chosen slot”, not “launch slot holds”.",
                name[:120],
            )  # fmt: skip


def rule_long_sentences(d: dict[str, Any], fields: list[Text]) -> Iterator[Finding]:
    limit = config.MAX_SENTENCE_WORDS
    for t in fields:
        if not t.prose:
            continue
        masked = mask(t.text, quotes=True)  # people may speak at length
        for start, end in sentences(masked):
            count = len(words(masked[start:end]))
            if count > limit:
                yield _finding(
                    t, start, end, "long-sentence", WARNING,
                    f"This sentence has {count} words.",
                    f"Split it in two; keep sentences under {limit} words.",
                )  # fmt: skip


def rule_readability(d: dict[str, Any], fields: list[Text]) -> Iterator[Finding]:
    import textstat

    for t in fields:
        if not t.prose:
            continue
        masked = mask(t.text)
        for start, end in paragraphs(masked):
            chunk = masked[start:end]
            if len(words(chunk)) < config.READABILITY_MIN_WORDS or not chunk.isascii():
                continue
            if re.search(r"^\s*(?:[-*+]|\d+\.)\s", chunk, re.M):
                continue  # a list has no sentences for the formula to measure
            score = textstat.flesch_reading_ease(chunk)
            if score < config.MIN_READING_EASE:
                yield _finding(
                    t, start, end, "readability", WARNING,
                    f"This paragraph is hard to read (reading ease {score:.0f} of 100).",
                    "Use shorter sentences and everyday words.",
                )  # fmt: skip


def _defined_acronyms(text: str) -> set[str]:
    defined = set(re.findall(r"\(([A-Z][A-Z0-9&]{1,5})s?\)", text))
    defined |= set(re.findall(r"\b([A-Z][A-Z0-9&]{1,5})s? \((?=[A-Za-z])", text))
    return defined


def rule_acronyms(d: dict[str, Any], fields: list[Text]) -> Iterator[Finding]:
    seen_defined: set[str] = set()
    flagged: set[str] = set()
    for t in fields:
        masked = mask(t.text)
        if t.path == "press_release.summary":
            dateline = _DATELINE.match(masked)
            if dateline:
                masked = " " * dateline.end() + masked[dateline.end() :]
        defined_here = _defined_acronyms(masked)
        upper_words = [w for w in words(masked) if w.isupper()]
        shouting = len(upper_words) > 3 and len(upper_words) > len(words(masked)) / 2
        for m in _ACRONYM.finditer(masked):
            acronym = m.group(1)
            if (
                shouting
                or acronym in config.KNOWN_ACRONYMS
                or acronym in seen_defined
                or acronym in flagged
                or not re.search(r"[A-Z].*[A-Z]", acronym)
            ):
                continue
            # Defined right here: "Average order value (AOV)" or "AOV (average order value)".
            window = masked[max(0, m.start() - 2) : m.end() + 3]
            if f"({acronym}" in window or (acronym in defined_here and f"{acronym} (" in window):
                seen_defined.add(acronym)
                continue
            flagged.add(acronym)
            yield _finding(
                t, m.start(), m.end(), "acronym", WARNING,
                f"“{acronym}” is used before it is spelled out.",
                f"Write it out the first time: “Full name ({acronym})”.",
            )  # fmt: skip
        seen_defined |= defined_here


def _content_words(text: str) -> set[str]:
    stop = {"the", "a", "an", "and", "or", "for", "to", "of", "in", "on", "with", "your",
            "you", "our", "we", "is", "are", "it", "its", "now", "new", "that", "this", "at",
            "by", "from", "as", "be", "can", "will"}  # fmt: skip
    return {w.lower() for w in words(text) if w.lower() not in stop and len(w) > 2}


def rule_quotes(d: dict[str, Any], fields: list[Text]) -> Iterator[Finding]:
    pr = d["press_release"]
    quote = pr["customer_quote"]
    by_path = {t.path: t for t in fields}
    for pattern in config.COMPANY_VOICE:
        for m in re.finditer(pattern, mask(quote), re.I):
            yield _finding(
                by_path["press_release.customer_quote"], m.start(), m.end(), "company-voice",
                WARNING, f"“{quote[m.start():m.end()]}” sounds like the company, not a customer.",
                "Quote what a real customer would say about their life: the problem that went "
                "away, in their words.",
            )  # fmt: skip
    headline = _content_words(pr["headline"])
    leader = _content_words(pr["leader_quote"])
    if len(headline) >= 3 and leader:
        overlap = len(headline & leader) / len(headline)
        if overlap >= config.LEADER_QUOTE_HEADLINE_OVERLAP:
            text = pr["leader_quote"]
            yield _finding(
                by_path["press_release.leader_quote"], 0, len(text), "quote-restates-headline",
                WARNING, "The leader's quote repeats the headline.",
                "Use the quote for what the headline cannot say: why the team built this and "
                "why now.",
            )  # fmt: skip


def rule_faq_counts(d: dict[str, Any], fields: list[Text]) -> Iterator[Finding]:
    entries = [e for e in d["faq"]["entries"] if e["question"].strip()]
    if not entries:
        return
    for audience, minimum, who in [
        ("external", config.MIN_EXTERNAL_FAQ, "customers"),
        ("internal", config.MIN_INTERNAL_FAQ, "stakeholders"),
    ]:
        count = sum(e["audience"] == audience for e in entries)
        if count < minimum:
            yield Finding(
                "faq", 0, 0, "few-faq", WARNING,
                f"Only {count} {audience} question{'s' if count != 1 else ''}: "
                f"{who} will ask more.",
                f"Add at least {minimum - count} more from the checklist on the FAQ step.",
                audience,
            )  # fmt: skip


@cache
def _proselint_ready() -> bool:
    from proselint.checks import __register__
    from proselint.registry import CheckRegistry

    CheckRegistry().register_many(__register__)
    return True


def rule_proselint(d: dict[str, Any], fields: list[Text]) -> Iterator[Finding]:
    """Proselint's cliché, hedging, jargon and redundancy checks, in one pass."""
    from proselint.tools import LintFile

    _proselint_ready()
    prose = [t for t in fields if t.prose and t.text.strip()]
    if not prose:
        return
    # One linter run over all fields joined; spans are mapped back to each field.
    offsets: list[tuple[int, Text]] = []
    parts: list[str] = []
    position = 1  # LintFile pads its content with a leading newline
    for t in prose:
        offsets.append((position, t))
        masked = mask(t.text, quotes=True)
        parts.append(masked)
        position += len(masked) + 2
    results = LintFile("<prfaq>", "\n\n".join(parts)).lint(
        {"max_errors": 500, "checks": config.PROSELINT_CHECKS}
    )
    for result in results:
        start, end = result.check_result.span
        for base, t in reversed(offsets):
            if start >= base:
                s, e = start - base, min(end - base, len(t.text))
                if s < len(t.text):
                    yield _finding(
                        t, s, e, "style", WARNING, result.check_result.message,
                        "Say it plainly, in fewer words.",
                    )  # fmt: skip
                break


ALL_RULES: list[Rule] = [
    rule_missing,
    rule_length,
    rule_hyperbole,
    rule_weasel,
    rule_numbers,
    rule_output_metrics,
    rule_long_sentences,
    rule_readability,
    rule_acronyms,
    rule_quotes,
    rule_faq_counts,
    rule_proselint,
]


def run(document: dict[str, Any], rules: list[Rule] | None = None) -> list[Finding]:
    """All findings for a document, errors first, then in reading order of fields."""
    d = doc.normalized(document)
    fields = texts(d)
    order = {t.path: i for i, t in enumerate(fields)}
    findings = [f for rule in (rules or ALL_RULES) for f in rule(d, fields)]
    return sorted(
        findings,
        key=lambda f: (f.severity != ERROR, order.get(f.field, -1), f.start, f.rule),
    )

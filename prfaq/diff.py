"""Word-level differences between two revisions, field by field, as safe HTML.

Markup uses <ins>/<del> with classes only (no inline style), so the CSP holds.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from prfaq import document as doc

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class FieldDiff:
    step: str
    label: str
    html: SafeString
    changed: bool


def words(a: str, b: str) -> SafeString:
    """Both texts merged into one, removed words in <del>, added in <ins>."""
    old, new = _TOKENS.findall(a), _TOKENS.findall(b)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
            continue
        if op in {"delete", "replace"}:
            parts.append(f'<del class="diff-del">{escape("".join(old[i1:i2]))}</del>')
        if op in {"insert", "replace"}:
            parts.append(f'<ins class="diff-ins">{escape("".join(new[j1:j2]))}</ins>')
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def _metric_text(metric: dict[str, str]) -> str:
    kind = dict(doc.METRIC_KINDS).get(metric.get("kind", ""), "").split(":")[0]
    unit = f" {metric['unit']}" if metric.get("unit") else ""
    return (
        f"{metric.get('name', '')} ({kind.lower()}): from {metric.get('baseline') or '?'}{unit} "
        f"to {metric.get('target') or '?'}{unit} by {metric.get('due') or '?'}"
    )


def _faq_text(entry: dict[str, str]) -> str:
    question, answer = entry.get("question", ""), entry.get("answer", "")
    return f"[{entry.get('audience', '')}] Q: {question}\nA: {answer}"


def _rows(old: list[dict], new: list[dict], text: Any, label: str, step: str) -> list[FieldDiff]:
    """Match rows by id so an edited row diffs against itself, not its neighbour."""
    before = {row["id"]: row for row in old}
    after = {row["id"]: row for row in new}
    ordered = [row["id"] for row in new] + [i for i in before if i not in after]
    diffs = []
    for position, row_id in enumerate(ordered, start=1):
        a = text(before[row_id]) if row_id in before else ""
        b = text(after[row_id]) if row_id in after else ""
        # Numbered as the newer document reads; a row it no longer has says so.
        name = f"{label} {position}" if row_id in after else f"{label} (removed)"
        diffs.append(FieldDiff(step, name, words(a, b), a != b))
    return diffs


def document_diff(a: dict[str, Any], b: dict[str, Any]) -> list[FieldDiff]:
    """Every field of the two documents, in reading order, each with its word diff."""
    a, b = doc.normalized(a), doc.normalized(b)
    result: list[FieldDiff] = []
    for step in doc.STEPS:
        for f in step.fields:
            old, new = a[step.key][f.key], b[step.key][f.key]
            result.append(FieldDiff(step.title, f.label, words(old, new), old != new))
        if step.has_metrics:
            result += _rows(
                a[step.key]["metrics"], b[step.key]["metrics"], _metric_text, "Metric", step.title
            )
        if step.has_faq:
            result += _rows(
                a[step.key]["entries"], b[step.key]["entries"], _faq_text, "Question", step.title
            )
    return result

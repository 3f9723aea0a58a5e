"""Presenting stored writing-check findings on pages: grouping, highlighting, status."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from prfaq import checks
from prfaq import document as doc

CONTEXT = 40


def slot(field: str) -> str:
    """The id suffix of the container a finding about `field` shows in."""
    parts = field.split(".")
    if len(parts) == 2 and parts[0] in doc.STEPS_BY_KEY and parts[1] != "metrics":
        return parts[1]
    if len(parts) == 3 and parts[1] == "metrics":
        return f"metric-{parts[2]}"
    if len(parts) == 3 and parts[0] == "faq":
        return f"faq-{parts[1]}-{parts[2]}"
    return "step"


def highlight(text: str, start: int, end: int) -> SafeString:
    """The flagged words in <mark>, with a little text either side; all escaped."""
    if not text or end <= start:
        return mark_safe("")
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return mark_safe(  # noqa: S308 - every piece is escaped
        ("…" if start > CONTEXT else "")
        + escape(before)
        + f"<mark>{escape(text[start:end][:300])}</mark>"
        + escape(after)
        + ("…" if end + CONTEXT < len(text) else "")
    )


def _field_text(content: dict[str, Any], field: str) -> str:
    parts = field.split(".")
    if len(parts) == 2 and parts[0] in content and isinstance(content[parts[0]], dict):
        value = content[parts[0]].get(parts[1], "")
        return value if isinstance(value, str) else ""
    if len(parts) == 3 and parts[0] == "faq":
        for entry in content["faq"]["entries"]:
            if entry["id"] == parts[1]:
                return entry.get(parts[2], "")
    return ""


def present(
    findings: list[dict[str, Any]],
    content: dict[str, Any],
    acknowledged: dict[str, Any],
    *,
    step_key: str | None = None,
) -> list[dict[str, Any]]:
    """Findings (of one step, if given) ready for a template, acknowledgements attached."""
    content = doc.normalized(content)
    out = []
    for f in findings:
        if step_key and f["step"] != step_key:
            continue
        text = _field_text(content, f["field"])
        ack = acknowledged.get(f["key"])
        out.append(
            {
                **f,
                "slot": slot(f["field"]),
                "label": checks.RULES.get(f["rule"], f["rule"]),
                "context": highlight(text, f["start"], f["end"]),
                "acknowledged": ack,
            }
        )
    return out


def by_slot(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        grouped.setdefault(item["slot"], []).append(item)
    return grouped


def open_counts(items: list[dict[str, Any]]) -> dict[str, int]:
    """Errors, and warnings not yet acknowledged."""
    return {
        "errors": sum(i["severity"] == checks.ERROR for i in items),
        "warnings": sum(i["severity"] == checks.WARNING and not i["acknowledged"] for i in items),
        "acknowledged": sum(bool(i["acknowledged"]) for i in items),
    }


def per_step(items: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    return {s.key: open_counts([i for i in items if i["step"] == s.key]) for s in doc.STEPS}

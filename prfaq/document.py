"""The shape of a PR/FAQ document: five steps, their fields, limits and completeness.

A revision stores the whole document as one JSON object keyed by step, e.g.
``{"customer": {"who": "...", ...}, ..., "benefit": {"benefit": "...",
"metrics": [{"id": "m1", ...}]}, "faq": {"entries": [{"id": "f1", ...}]}}``.
Everything that needs to know the shape (forms, rendering, diff, export, checks)
reads it from here. Pure functions; no database access.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

LONG_MAX = 20_000
SHORT_MAX = 300
HEADLINE_MAX = 200
QUESTION_MAX = 500
MAX_FAQ_ENTRIES = 200
MAX_METRICS = 50
TITLE_MAX = 200
METRIC_NAME_MAX = 200
METRIC_VALUE_MAX = 40  # a metric's unit, baseline, target and due date, as typed


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    help: str = ""
    markdown: bool = True  # long text written in Markdown, rendered on save
    max_length: int = LONG_MAX
    required: bool = True
    rows: int = 5


@dataclass(frozen=True)
class Step:
    slug: str  # in URLs
    key: str  # in the document
    title: str
    question: str
    fields: tuple[Field, ...] = field(default_factory=tuple)
    has_metrics: bool = False
    has_faq: bool = False


STEPS: tuple[Step, ...] = (
    Step(
        "customer",
        "customer",
        "Customer",
        "Who exactly is the customer, how many are there, and how do we know?",
        (
            Field(
                "who",
                "Who exactly is the customer?",
                "Name one specific group of people, not a market segment.",
            ),
            Field(
                "how_many",
                "How many of them are there?",
                "A number with its source, even if it is an estimate.",
                markdown=False,
                max_length=SHORT_MAX,
            ),
            Field(
                "evidence",
                "How do we know?",
                "Interviews, support tickets, data: what makes this more than a hunch.",
            ),
        ),
    ),
    Step(
        "problem",
        "problem",
        "Problem",
        "What problem or opportunity does the customer have, in their words?",
        (
            Field(
                "statement",
                "The problem, in the customer's words",
                "Write it the way a customer would say it to a friend.",
            ),
            Field(
                "today",
                "What do they do today instead?",
                "The workaround, the competitor, or simply living with it.",
            ),
        ),
    ),
    Step(
        "benefit",
        "benefit",
        "Benefit",
        "What is the single most important benefit, and how will we know it arrived?",
        (
            Field(
                "benefit",
                "The one most important customer benefit",
                "One sentence. If you need two, you have not chosen yet.",
                markdown=False,
                max_length=SHORT_MAX,
            ),
        ),
        has_metrics=True,
    ),
    Step(
        "press-release",
        "press_release",
        "Press release",
        "Announce the launch as if it had happened: about one page.",
        (
            Field(
                "headline",
                "Headline",
                "The product name and the benefit, in words a customer uses.",
                markdown=False,
                max_length=HEADLINE_MAX,
            ),
            Field(
                "subheading",
                "Subheading",
                "Who the customer is and what they get, in one sentence.",
                markdown=False,
                max_length=SHORT_MAX,
            ),
            Field("summary", "Summary", "The whole story in one paragraph.", rows=4),
            Field("problem", "Problem", "The problem, from the customer's side.", rows=4),
            Field("solution", "Solution", "How the product solves it, plainly.", rows=5),
            Field("leader_quote", "Quote from the leader", "Why we built it.", rows=3),
            Field(
                "getting_started",
                "How to get started",
                "The first step a customer takes.",
                rows=3,
            ),
            Field(
                "customer_quote",
                "Customer quote",
                "A believable customer describing the benefit.",
                rows=3,
            ),
            Field("call_to_action", "Call to action", "Where to go next.", rows=2),
        ),
    ),
    Step(
        "faq",
        "faq",
        "FAQ",
        "Answer the questions customers and stakeholders will ask.",
        (),
        has_faq=True,
    ),
)

STEPS_BY_SLUG = {step.slug: step for step in STEPS}
STEPS_BY_KEY = {step.key: step for step in STEPS}

METRIC_KINDS = (
    ("output", "Output: what the customer gets"),
    ("input", "Input: what the team controls"),
)
AUDIENCES = (("external", "External (customers)"), ("internal", "Internal (stakeholders)"))
METRIC_FIELDS = ("name", "kind", "unit", "baseline", "target", "due")


def empty_document() -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for step in STEPS:
        doc[step.key] = {f.key: "" for f in step.fields}
        if step.has_metrics:
            doc[step.key]["metrics"] = []
        if step.has_faq:
            doc[step.key]["entries"] = []
    return doc


def normalized(document: dict[str, Any] | None) -> dict[str, Any]:
    """A full document: every step and field present, unknown keys dropped."""
    base = empty_document()
    document = document or {}
    for step in STEPS:
        given = document.get(step.key) or {}
        for f in step.fields:
            value = given.get(f.key, "")
            base[step.key][f.key] = value if isinstance(value, str) else ""
        if step.has_metrics:
            base[step.key]["metrics"] = [
                {k: str(m.get(k, "") or "") for k in ("id", *METRIC_FIELDS)}
                for m in given.get("metrics", [])
                if isinstance(m, dict)
            ]
        if step.has_faq:
            base[step.key]["entries"] = [
                {k: str(e.get(k, "") or "") for k in ("id", "question", "answer", "audience")}
                for e in given.get("entries", [])
                if isinstance(e, dict)
            ]
    return base


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(document: dict[str, Any]) -> str:
    """SHA-256 of the document's canonical JSON: equal content, equal hash."""
    return hashlib.sha256(canonical_json(normalized(document)).encode()).hexdigest()


def step_hash(document: dict[str, Any], step_key: str) -> str:
    """SHA-256 of one step's content: what an editor of that step saw."""
    return hashlib.sha256(canonical_json(normalized(document)[step_key]).encode()).hexdigest()


def with_step(document: dict[str, Any], step_key: str, content: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(normalized(document))
    doc[step_key] = normalized({step_key: content})[step_key]
    return doc


def steps_changed(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """Keys of the steps whose content differs between two documents, in step order."""
    a, b = normalized(old), normalized(new)
    return [step.key for step in STEPS if a[step.key] != b[step.key]]


def step_is_complete(document: dict[str, Any], step_key: str) -> bool:
    step = STEPS_BY_KEY[step_key]
    content = normalized(document)[step_key]
    if any(f.required and not content[f.key].strip() for f in step.fields):
        return False
    if step.has_metrics:
        metrics = [m for m in content["metrics"] if m["name"].strip()]
        if not metrics or any(not (m["target"] and m["due"]) for m in metrics):
            return False
    if step.has_faq:
        answered = [e for e in content["entries"] if e["question"].strip() and e["answer"].strip()]
        audiences = {e["audience"] for e in answered}
        if not {"external", "internal"} <= audiences:
            return False
    return True


def completeness(document: dict[str, Any]) -> dict[str, bool]:
    return {step.key: step_is_complete(document, step.key) for step in STEPS}


def markdown_paths(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(path, text) of every Markdown field, e.g. ("press_release.summary", "...")."""
    doc = normalized(document)
    paths: list[tuple[str, str]] = []
    for step in STEPS:
        for f in step.fields:
            if f.markdown:
                paths.append((f"{step.key}.{f.key}", doc[step.key][f.key]))
        if step.has_faq:
            for entry in doc[step.key]["entries"]:
                paths.append((f"faq.{entry['id']}.answer", entry["answer"]))
    return paths

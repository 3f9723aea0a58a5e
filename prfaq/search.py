"""Searching proposals by title and document text, behind one function.

PostgreSQL: a stored, GIN-indexed tsvector, ranked, with highlighted snippets.
SQLite: case-insensitive substring match on title and text, newest first, with a
plain snippet around the first match. Both return the same shape.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe

from prfaq import document
from prfaq.models import Proposal

CONFIG = "english"
SNIPPET_WORDS = 30


def document_text(title: str, content: dict[str, Any]) -> str:
    """Everything a reader could search for in a revision, as plain text."""
    d = document.normalized(content)
    parts = [title]
    for step in document.STEPS:
        parts += [d[step.key][f.key] for f in step.fields]
    parts += [f"{m['name']} {m['unit']}" for m in d["benefit"]["metrics"]]
    parts += [f"{e['question']} {e['answer']}" for e in d["faq"]["entries"]]
    return re.sub(r"\s+", " ", " ".join(p for p in parts if p)).strip()[:200_000]


def index(proposal_id: int, title: str, content: dict[str, Any]) -> None:
    """Store the search text (and on PostgreSQL its tsvector) for a proposal."""
    text = document_text(title, content)
    updates: dict[str, Any] = {"search_text": text}
    if connection.vendor == "postgresql":
        updates["search_vector"] = SearchVector(
            Value(title), weight="A", config=CONFIG
        ) + SearchVector(Value(text), weight="B", config=CONFIG)
    Proposal.objects.filter(pk=proposal_id).update(**updates)


def search(proposals: QuerySet[Proposal], q: str) -> QuerySet[Proposal]:
    """`proposals` matching `q`, best first, each with a safe `snippet`."""
    q = q.strip()[:200]
    if not q:
        return proposals
    if connection.vendor == "postgresql":
        query = SearchQuery(q, search_type="websearch", config=CONFIG)
        return (
            proposals.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                snippet=SearchHeadline(
                    "search_text", query, config=CONFIG, start_sel="<mark>", stop_sel="</mark>",
                    max_words=SNIPPET_WORDS, min_words=12,
                ),
            )
            .order_by("-rank", "-updated")
        )  # fmt: skip
    words = q.split()[:8]
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(search_text__icontains=word)
    return proposals.filter(condition).order_by("-updated")


def snippet(proposal: Proposal, q: str) -> str:
    """The highlighted snippet for a search result, escaped except for <mark>."""
    raw = getattr(proposal, "snippet", None)
    if raw is not None:
        # PostgreSQL's headline: escape everything, then restore only our markers.
        safe = escape(raw).replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
        return mark_safe(safe)  # noqa: S308 - escaped above; only <mark> restored
    text = proposal.search_text or ""
    first = q.split()[0] if q.split() else ""
    at = text.lower().find(first.lower()) if first else -1
    if at < 0:
        return escape(text[:200])
    start = max(0, at - 80)
    piece = text[start : at + 120]
    pattern = re.compile("(" + "|".join(re.escape(w) for w in q.split()[:8]) + ")", re.I)
    parts = pattern.split(piece)
    html = "".join(f"<mark>{escape(p)}</mark>" if i % 2 else escape(p) for i, p in enumerate(parts))
    return mark_safe(("…" if start else "") + html + "…")  # noqa: S308 - pieces escaped

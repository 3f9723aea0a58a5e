"""Markdown to safe HTML. Runs when a revision is saved, never while serving a page.

Raw HTML in the author's text is not interpreted: Python-Markdown's HTML handling is
switched off, so ``<script>`` arrives as visible text. The HTML Markdown produces
then passes an nh3 allowlist: a fixed set of tags and attributes, links only to
http, https and mailto, each link with rel="noopener noreferrer nofollow".
"""

from __future__ import annotations

from typing import Any

import markdown
import nh3
from markdown.extensions import Extension

from prfaq import document as doc

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


class _EscapeHtml(Extension):
    """Treat raw HTML blocks and inline tags as plain text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


class _ShiftHeadings(Extension):
    """Author headings sit under the memo's own: # becomes h3."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_HeadingShifter(md), "shift_headings", 0)


class _HeadingShifter(markdown.treeprocessors.Treeprocessor):
    def run(self, root: Any) -> None:
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                element.tag = f"h{min(int(element.tag[1]) + 2, 6)}"


def render(text: str) -> str:
    """Sanitized HTML for one Markdown field ("" for blank text)."""
    if not text.strip():
        return ""
    html = markdown.markdown(
        text,
        extensions=[_EscapeHtml(), _ShiftHeadings(), "tables", "sane_lists", "fenced_code"],
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_document(
    document: dict[str, Any],
    previous_content: dict[str, Any] | None = None,
    previous_rendered: dict[str, str] | None = None,
) -> dict[str, str]:
    """Rendered HTML for every Markdown field, keyed by path ("press_release.summary").

    Fields whose text is unchanged from `previous_content` reuse `previous_rendered`,
    so a save re-renders only what the author touched.
    """
    reuse: dict[str, tuple[str, str]] = {}
    if previous_content is not None and previous_rendered is not None:
        for path, text in doc.markdown_paths(previous_content):
            if path in previous_rendered:
                reuse[path] = (text, previous_rendered[path])
    rendered: dict[str, str] = {}
    for path, text in doc.markdown_paths(document):
        old = reuse.get(path)
        rendered[path] = old[1] if old and old[0] == text else render(text)
    return rendered

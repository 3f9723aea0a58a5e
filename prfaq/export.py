"""A revision as a Markdown document, in memo order: press release, FAQ, metrics."""

from __future__ import annotations

from typing import Any

from prfaq import document as doc


def _block(title: str, text: str) -> str:
    return f"## {title}\n\n{text.strip()}\n" if text.strip() else ""


def to_markdown(title: str, content: dict[str, Any]) -> str:
    d = doc.normalized(content)
    pr = d["press_release"]
    # Without a headline the document is titled "PR/FAQ: <title>", which an import
    # reads as the proposal's title rather than as a headline.
    out = [f"# {pr['headline'].strip() or f'PR/FAQ: {title}'}\n"]
    if pr["subheading"].strip():
        out.append(f"*{pr['subheading'].strip()}*\n")
    for key, label in [
        ("summary", "Summary"),
        ("problem", "Problem"),
        ("solution", "Solution"),
        ("leader_quote", "Quote from the leader"),
        ("getting_started", "How to get started"),
        ("customer_quote", "Customer quote"),
        ("call_to_action", "Call to action"),
    ]:
        out.append(_block(label, pr[key]))
    for audience, heading in [("external", "External FAQ"), ("internal", "Internal FAQ")]:
        entries = [e for e in d["faq"]["entries"] if e["audience"] == audience]
        if entries:
            out.append(f"## {heading}\n")
            for e in entries:
                out.append(f"**Q: {e['question'].strip()}**\n\n{e['answer'].strip()}\n")
    metrics = [m for m in d["benefit"]["metrics"] if m["name"].strip()]
    if metrics:
        out.append("## Success metrics\n")
        out.append("| Metric | Kind | Baseline | Target | Due |\n| --- | --- | --- | --- | --- |")
        for m in metrics:
            unit = f" {m['unit']}" if m["unit"] else ""
            cells = [
                m["name"], m["kind"],
                f"{m['baseline']}{unit}" if m["baseline"] else "",
                f"{m['target']}{unit}" if m["target"] else "", m["due"],
            ]  # fmt: skip
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    out.append("## Working backwards\n")
    out.append(_block("Customer", d["customer"]["who"]))
    if d["customer"]["how_many"].strip():
        out.append(f"**How many:** {d['customer']['how_many'].strip()}\n")
    out.append(_block("Evidence", d["customer"]["evidence"]))
    out.append(_block("Problem, in the customer's words", d["problem"]["statement"]))
    out.append(_block("What they do today", d["problem"]["today"]))
    if d["benefit"]["benefit"].strip():
        out.append(f"**The most important benefit:** {d['benefit']['benefit'].strip()}\n")
    return "\n".join(part for part in out if part).rstrip() + "\n"

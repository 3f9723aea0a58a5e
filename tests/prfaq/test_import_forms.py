"""The small ways people write FAQ entries, each read into a question and its answer."""

from __future__ import annotations

import pytest

from prfaq import importing

FORMS = {
    "q-and-a lines": "## FAQ\n\nQ: How much is it?\nA: Free for a month.\n",
    "q-and-a paragraphs": "## FAQ\n\nQ: How much is it?\n\nA: Free for a month.\n",
    "question and answer words": "## FAQ\n\nQuestion: How much is it?\nAnswer: Free for a month.\n",
    "q. and a.": "## FAQ\n\nQ. How much is it?\nA. Free for a month.\n",
    "bold q, answer below": "## FAQ\n\n**Q: How much is it?**\n\nFree for a month.\n",
    "bold q, answer on the line": "## FAQ\n\n**Q: How much is it?** Free for a month.\n",
    "bold label q": "## FAQ\n\n**Q:** How much is it?\n**A:** Free for a month.\n",
    "bold question": "## FAQ\n\n**How much is it?**\nFree for a month.\n",
    "bold question, answer on the line": "## FAQ\n\n**How much is it?** Free for a month.\n",
    "numbered": "## FAQ\n\n1. How much is it?\n   Free for a month.\n",
    "numbered bold": "## FAQ\n\n1. **How much is it?**\n   Free for a month.\n",
    "heading per question": "## FAQ\n\n### How much is it?\n\nFree for a month.\n",
    "heading with q": "## FAQ\n\n### Q: How much is it?\n\nFree for a month.\n",
    "plain, answer below": "FAQ\n\nHow much is it?\nFree for a month.\n",
    "plain paragraphs": "Frequently asked questions\n\nHow much is it?\n\nFree for a month.\n",
    "no heading at all": "Q: How much is it?\nA: Free for a month.\n",
}


@pytest.mark.parametrize("text", FORMS.values(), ids=FORMS.keys())
def test_each_way_of_writing_an_entry_reads_the_same(text: str) -> None:
    assembled = importing.assemble(importing.read(text))
    entries = assembled.content["faq"]["entries"]
    assert [(e["question"], e["answer"], e["audience"]) for e in entries] == [
        ("How much is it?", "Free for a month.", "external")
    ]
    assert assembled.unplaced == ""


@pytest.mark.parametrize(
    ("heading", "audience"),
    [
        ("Customer FAQ", "external"),
        ("External FAQs (for the people who buy it)", "external"),
        ("Internal FAQ", "internal"),
        ("Stakeholder FAQ", "internal"),
        ("FAQ: internal", "internal"),
    ],
)
def test_the_section_gives_the_audience(heading: str, audience: str) -> None:
    text = f"## {heading}\n\nQ: How much is it?\nA: Free for a month.\n"
    entries = importing.assemble(importing.read(text)).content["faq"]["entries"]
    assert [e["audience"] for e in entries] == [audience]


def test_a_rhetorical_question_inside_an_answer_stays_in_the_answer() -> None:
    text = (
        "## FAQ\n\nQ: Why now?\nA: Why not?\nBecause the data says so.\n\nQ: Who pays?\nA: We do.\n"
    )
    entries = importing.assemble(importing.read(text)).content["faq"]["entries"]
    assert [e["question"] for e in entries] == ["Why now?", "Who pays?"]
    assert entries[0]["answer"] == "Why not?\nBecause the data says so."

"""Hostile text in any field is stored as typed and never becomes markup on a page."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from prfaq import document
from prfaq.models import Proposal
from tests.prfaq.helpers import save_step

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert('evil-1')</script>",
    "<img src=x onerror=\"alert('evil-2')\">",
    "[click](javascript:alert('evil-3'))",
    "[data](data:text/html;base64,PHNjcmlwdD5ldmlsLTQ8L3NjcmlwdD4=)",
    "[vb](vbscript:msgbox('evil-5'))",
    "<a href=\"javascript:alert('evil-6')\">x</a>",
    '<div hx-get="/evil-7" hx-trigger="load">x</div>',
    "<svg><script>alert('evil-8')</script></svg>",
    "<math><mi xlink:href=\"javascript:alert('evil-9')\">x</mi></math>",
    "[x](JaVaScRiPt:alert('evil-10'))",
    "[x](&#106;avascript:alert('evil-11'))",
    '<iframe src="https://evil-12.example"></iframe>',
    "{{ evil_13 }} {% now 'Y' %}",
    "![img](javascript:alert('evil-14'))",
]
PAYLOAD = "\n\n".join(HOSTILE)


class Inspector(HTMLParser):
    """Collects every real tag and attribute the browser would build."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            url_attribute = name in {"href", "src", "xlink:href", "action", "formaction"}
            if url_attribute and value.strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.problems.append(f"<{tag} {name}={value}>")
            if "evil" in value and name not in {"title", "alt", "value"}:  # inert text
                self.problems.append(f"<{tag} {name}={value}>")
        if tag == "script" and not dict(attrs).get("src", "").startswith("/static/"):
            self.problems.append("<script> without our src")
        if tag in {"iframe", "svg", "math", "img", "object", "embed"}:
            self.problems.append(f"<{tag}>")


def hostile_document():
    content = {}
    for step in document.STEPS:
        content[step.key] = {f.key: PAYLOAD[: f.max_length] for f in step.fields}
    content["benefit"]["metrics"] = [
        {"id": "m1", "name": HOSTILE[0], "kind": "output", "unit": HOSTILE[6][:40],
         "baseline": "1", "target": "2", "due": "2027-01-01"}
    ]  # fmt: skip
    content["faq"]["entries"] = [
        {"id": "f1", "question": HOSTILE[1], "answer": PAYLOAD, "audience": "external"},
        {"id": "f2", "question": HOSTILE[6], "answer": PAYLOAD, "audience": "internal"},
    ]
    return content


def test_hostile_text_is_stored_faithfully_and_never_runs(login, proposal, lead, member, hx):
    for step, content in hostile_document().items():
        save_step(proposal, lead, step, content)
    save_step(proposal, member, "customer", {"who": PAYLOAD + " (edited)"})
    revision = Proposal.objects.get(pk=proposal.pk).current_revision
    assert revision.content["press_release"]["summary"] == PAYLOAD  # stored as typed

    client = login(member)
    urls = [
        reverse("proposal-memo", args=[proposal.pk]),
        *[reverse("proposal-step", args=[proposal.pk, s.slug]) for s in document.STEPS],
        reverse("proposal-history", args=[proposal.pk]),
        reverse("revision-detail", args=[proposal.pk, 1]),
        reverse("proposal-diff", args=[proposal.pk]) + "?a=1&b=2&all=1",
        reverse("proposal-list"),
        reverse("dashboard"),
    ]
    for url in urls:
        response = client.get(url, **hx)
        assert response.status_code == 200, url
        inspector = Inspector()
        inspector.feed(response.content.decode())
        assert inspector.problems == [], (url, inspector.problems[:5])


def test_hostile_title_is_escaped_everywhere(login, team, lead):
    title = "<script>alert('evil-title')</script>"
    response = login(lead).post(
        reverse("proposal-new"), {"title": title, "team": team.pk}, follow=True
    )
    assert response.status_code == 200
    proposal = Proposal.objects.get()
    assert proposal.title == title
    for url in [reverse("proposal-memo", args=[proposal.pk]), reverse("proposal-list")]:
        inspector = Inspector()
        inspector.feed(login(lead).get(url).content.decode())
        assert inspector.problems == []


def test_exported_markdown_keeps_the_text_as_typed(login, proposal, lead):
    save_step(proposal, lead, "press_release", {"summary": PAYLOAD})
    text = login(lead).get(reverse("revision-export", args=[proposal.pk, 1])).content.decode()
    assert HOSTILE[0] in text

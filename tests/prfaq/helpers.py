"""Building documents for page tests, always through services."""

from prfaq import document, services
from prfaq.models import Proposal


def save_step(proposal, user, step, content):
    current = Proposal.objects.get(pk=proposal.pk).current_revision
    return services.proposal_save_step(
        proposal_id=proposal.pk,
        user=user,
        step_key=step,
        base_step_hash=document.step_hash(current.content, step),
        content=content,
    )


def fill(proposal, user, *, faq=3, metrics=3):
    """A complete document with `faq` entries and `metrics` rows."""
    save_step(
        proposal,
        user,
        "customer",
        {"who": "Evening shoppers", "how_many": "40,000", "evidence": "Survey"},
    )
    save_step(proposal, user, "problem", {"statement": "My slot is gone", "today": "Pay first"})
    save_step(
        proposal,
        user,
        "benefit",
        {
            "benefit": "Keep the slot you chose.",
            "metrics": [
                {"id": f"m{i}", "name": f"Metric {i}", "kind": "output", "unit": "%",
                 "baseline": "9", "target": "2", "due": "2027-06-30"}
                for i in range(1, metrics + 1)
            ],
        },
    )  # fmt: skip
    save_step(
        proposal,
        user,
        "press_release",
        {k.key: f"**{k.label}** text" for k in document.STEPS_BY_KEY["press_release"].fields},
    )
    save_step(
        proposal,
        user,
        "faq",
        {
            "entries": [
                {"id": f"f{i}", "question": f"Question {i}?", "answer": f"Answer *{i}*",
                 "audience": "external" if i % 2 else "internal"}
                for i in range(1, faq + 1)
            ]
        },
    )  # fmt: skip

"""A team whose every name, document, comment, reading and reason is hostile text.

Built through services, as people would build it, so every page that shows user
text has some to show: a launched proposal (contract, metrics, readings), one killed
with a hostile reason, one withdrawn with a hostile note, a draft open for editing,
comments, notifications, a pending invitation.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role, Team, User
from prfaq import checks, document, services
from prfaq.demo_content import SHOWCASE
from prfaq.models import Metric, Proposal
from reviews import services as review_services
from reviews.models import Decision, ReviewerRole, Ring, Round
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.prfaq.helpers import save_step
from tests.security.corpus import BLNS, OURS, storable

STRONG = SHOWCASE
# Short enough for one-line fields, and storable (NUL is refused at the form).
SHORT = [v for v in OURS if storable(v) and len(v) <= 80]


@dataclass
class Scene:
    team: Team
    lead: User
    member: User
    leader: User
    launched: Proposal
    killed: Proposal
    withdrawn: Proposal
    draft: Proposal
    round: Round


def hostile_document(strings: list[str]) -> dict:
    """The strong demo document with `strings` (those a database can store) in every
    kind of field it has."""
    strings = [s for s in strings if storable(s)]
    content = copy.deepcopy(STRONG)
    pile = "\n\n".join(strings)
    content["customer"]["evidence"] += "\n\n" + pile[: document.LONG_MAX - 2000]
    content["problem"]["today"] += "\n\n" + pile[: document.LONG_MAX - 2000]
    content["customer"]["how_many"] = SHORT[1][:300]
    content["press_release"]["headline"] = SHORT[0]
    # The press release has a word budget: a few vectors, in the Markdown fields.
    for i, key in enumerate(["summary", "leader_quote", "customer_quote", "call_to_action"]):
        content["press_release"][key] += "\n\n" + SHORT[(i * 7 + 13) % len(SHORT)]
    for i, metric in enumerate(content["benefit"]["metrics"]):
        metric["name"] = f"{SHORT[i * 5]} {metric['name']}"[:200]
        metric["unit"] = SHORT[i * 5 + 2][:40].strip()
    entries = content["faq"]["entries"]
    for i, text in enumerate(strings[: document.MAX_FAQ_ENTRIES - len(entries)]):
        entries.append(
            {"id": f"f{100 + i}", "question": text[: document.QUESTION_MAX] or "?",
             "answer": text or "—", "audience": "internal" if i % 2 else "external"}
        )  # fmt: skip
    return content


def write(proposal: Proposal, owner: User, content: dict) -> None:
    for step in document.STEPS:
        save_step(proposal, owner, step.key, content[step.key])
    errors = [f for f in checks.run(content) if f.severity == checks.ERROR]
    assert errors == [], errors  # the seed must be able to go to review


def _round(proposal, owner, choices, decide, note=""):
    round_ = review_services.round_open(
        proposal_id=proposal.pk, actor=owner, mode="async", due=timezone.now() + timedelta(days=3),
        reviewers=[review_services.ReviewerChoice(u.pk, role) for u, role in choices],
    )  # fmt: skip
    for user, _ in choices:
        review_services.reading_start(round_id=round_.pk, user=user)
        review_services.reading_done(round_id=round_.pk, user=user)
    for user, _ in choices:
        review_services.decision_record(
            round_id=round_.pk, reviewer=user, decision=decide, rationale=note
        )
    return round_


def _through_two_rings(proposal, owner, member, leader, note):
    _round(proposal, owner, [(member, ReviewerRole.REVIEWER)], Decision.APPROVE, note)
    _round(
        proposal, owner,
        [(member, ReviewerRole.REVIEWER), (leader, ReviewerRole.BAR_RAISER)],
        Decision.APPROVE, note,
    )  # fmt: skip


def seed(strings: list[str] | None = None) -> Scene:
    """Everything hostile, through services. `strings` defaults to ours plus the whole list."""
    strings = [s for s in (strings or [*OURS, *BLNS]) if storable(s)]
    team = TeamFactory(name=SHORT[0], slug="hostile", description=SHORT[3])
    ring = Ring.objects.get(team=team, position=1)
    review_services.ring_update(ring_id=ring.pk, name=SHORT[5][:80].strip())
    lead = MembershipFactory(
        team=team, role=Role.LEAD, user=UserFactory(display_name=SHORT[2][:80])
    ).user
    member = MembershipFactory(team=team, user=UserFactory(display_name=SHORT[6][:80])).user
    leader = MembershipFactory(
        team=TeamFactory(name=SHORT[44]), user=UserFactory(display_name=SHORT[12][:80])
    ).user
    content = hostile_document(strings)
    note = SHORT[20]

    launched = services.proposal_create(team=team, owner=lead, title=SHORT[4])
    write(launched, lead, content)
    findings = Proposal.objects.get(pk=launched.pk).current_revision.findings
    warning = next(f for f in findings if f["severity"] == checks.WARNING)
    services.acknowledgement_create(
        proposal_id=launched.pk, user=lead, key=warning["key"], reason=SHORT[22]
    )
    round_ = review_services.round_open(
        proposal_id=launched.pk, actor=lead, mode="async", due=timezone.now() + timedelta(days=3),
        reviewers=[review_services.ReviewerChoice(member.pk)],
    )  # fmt: skip
    review_services.reading_start(round_id=round_.pk, user=member)
    review_services.reading_done(round_id=round_.pk, user=member)
    first = None
    for i, text in enumerate(SHORT[:12]):
        comment = review_services.comment_create(
            round_id=round_.pk, author=member if i % 2 else lead, section="general",
            body=f"{text} @{lead.email.split('@')[0]}", prefix=SHORT[i + 1], suffix=SHORT[i + 2],
            blocking=False, parent_key=first.key if first and i % 3 == 0 else None,
        )  # fmt: skip
        first = first or comment
    review_services.decision_record(
        round_id=round_.pk, reviewer=member, decision=Decision.APPROVE, rationale=note
    )
    _round(
        launched, lead,
        [(member, ReviewerRole.REVIEWER), (leader, ReviewerRole.BAR_RAISER)],
        Decision.APPROVE, note,
    )  # fmt: skip
    _round(launched, lead, [(leader, ReviewerRole.APPROVER)], Decision.APPROVE, note)
    services.proposal_launch(
        proposal_id=launched.pk, actor=lead, launched_on=timezone.localdate() - timedelta(days=30),
        review_on=timezone.localdate() + timedelta(days=60),
    )  # fmt: skip
    for metric in Metric.objects.filter(proposal=launched):
        for days, value in [(20, "7.5"), (10, "5"), (1, "3.25")]:
            services.reading_record(
                metric_id=metric.pk, user=member, on=timezone.localdate() - timedelta(days=days),
                value=Decimal(value), note=SHORT[days % len(SHORT)],
            )  # fmt: skip

    killed = services.proposal_create(team=team, owner=lead, title=SHORT[42])
    write(killed, lead, content)
    _through_two_rings(killed, lead, member, leader, note)
    _round(killed, lead, [(leader, ReviewerRole.APPROVER)], Decision.KILL, SHORT[23])

    withdrawn = services.proposal_create(team=team, owner=lead, title=SHORT[36])
    services.proposal_withdraw(proposal_id=withdrawn.pk, actor=lead, note=SHORT[24])

    draft = services.proposal_create(team=team, owner=member, title=SHORT[38])
    write(draft, member, content)

    account_services.invitation_create(
        team=team, email='"<script>alert(1)</script>"@example.com', role="member", invited_by=lead
    )
    return Scene(team, lead, member, leader, launched, killed, withdrawn, draft, round_)

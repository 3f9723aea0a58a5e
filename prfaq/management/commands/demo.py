"""Load demo users and teams. Safe to run again: what exists is left as it is."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import services as account_services
from accounts.models import Role, Team, User
from prfaq import document
from prfaq import services as prfaq_services
from prfaq.demo_content import DEMO_PROPOSALS
from prfaq.models import Proposal

DEMO_PASSWORD = "working-backwards"  # noqa: S105 - printed for local demo use only

PEOPLE = [
    # email, display name, staff
    ("maya@example.com", "Maya Okafor", False),
    ("li@example.com", "Li Wei", False),
    ("sam@example.com", "Sam Rivera", False),
    ("priya@example.com", "Priya Natarajan", False),
    ("jonas@example.com", "Jonas Berg", False),
    ("director@example.com", "Dana Whitfield", True),
]

TEAMS = [
    (
        "Checkout",
        "checkout",
        "Everything between the basket and the receipt: payments, delivery options, "
        "order confirmation.",
        [
            ("maya@example.com", Role.LEAD),
            ("li@example.com", Role.MEMBER),
            ("sam@example.com", Role.MEMBER),
            ("director@example.com", Role.MEMBER),
        ],
    ),
    (
        "Search & Discovery",
        "search",
        "Helping customers find the right product in the fewest steps.",
        [
            ("priya@example.com", Role.LEAD),
            ("jonas@example.com", Role.MEMBER),
            ("sam@example.com", Role.MEMBER),
            ("director@example.com", Role.MEMBER),
        ],
    ),
]


class Command(BaseCommand):
    help = "Load demo users and teams (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        # Demo people have made-up addresses: keep the notifications, send no mail.
        from django.test.utils import override_settings

        dummy = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
        with override_settings(MAILERS=dummy), transaction.atomic():
            self._load()

    def _load(self) -> None:
        users: dict[str, User] = {}
        for email, name, staff in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = account_services.user_create(
                    email=email, display_name=name, password=DEMO_PASSWORD
                )
                if staff:
                    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
            users[email] = user

        for name, slug, description, members in TEAMS:
            team = Team.objects.filter(slug=slug).first()
            if team is None:
                lead_email = next(email for email, role in members if role == Role.LEAD)
                team = account_services.team_create(
                    name=name, slug=slug, description=description, lead=users[lead_email]
                )
            for email, role in members:
                account_services.membership_add(team=team, user=users[email], role=role)

        created = sum(self._proposal(spec, users) for spec in [*DEMO_PROPOSALS, WITHDRAWN])
        if created:
            self._reviews(users)

        self.stdout.write(f"Demo proposals: {Proposal.objects.count()} in all.")
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with any of these:"))
        width = max(len(email) for email, _, _ in PEOPLE)
        for email, name, staff in PEOPLE:
            teams = ", ".join(
                f"{team_name} ({role})"
                for team_name, _, _, members in TEAMS
                for member_email, role in members
                if member_email == email
            )
            extra = " · staff, can open /admin/" if staff else ""
            self.stdout.write(f"  {email:<{width}}  {name}: {teams}{extra}")
        self.stdout.write(f"  password for all: {DEMO_PASSWORD}")

    def _proposal(self, spec: dict[str, Any], users: dict[str, User]) -> bool:
        team = Team.objects.get(slug=spec["team"])
        if Proposal.objects.filter(team=team, title=spec["title"]).exists():
            return False
        owner = users[spec["owner"]]
        proposal = prfaq_services.proposal_create(team=team, owner=owner, title=spec["title"])
        for step in document.STEPS:
            content = spec["document"][step.key]
            if content == document.empty_document()[step.key]:
                continue
            # FAQ entries come from a teammate, so the history shows two authors.
            author = users[spec.get("faq_author", spec["owner"])] if step.has_faq else owner
            current = Proposal.objects.get(pk=proposal.pk).current_revision
            prfaq_services.proposal_save_step(
                proposal_id=proposal.pk,
                user=author,
                step_key=step.key,
                base_step_hash=document.step_hash(current.content, step.key),
                content=content,
            )
        if spec.get("withdraw"):
            prfaq_services.proposal_withdraw(
                proposal_id=proposal.pk, actor=owner, note=spec["withdraw"]
            )
        return True

    def _reviews(self, users: dict[str, User]) -> None:
        """A review in progress: Li has read and approved, Sam has not started."""
        from datetime import timedelta

        from django.utils import timezone

        from reviews import services as review_services
        from reviews.models import ReviewerRole

        proposal = Proposal.objects.get(title=DEMO_PROPOSALS[0]["title"])
        li, sam = users["li@example.com"], users["sam@example.com"]
        round_ = review_services.round_open(
            proposal_id=proposal.pk, actor=proposal.owner, mode="async",
            due=timezone.now() + timedelta(days=4),
            reviewers=[
                review_services.ReviewerChoice(li.pk, ReviewerRole.APPROVER),
                review_services.ReviewerChoice(sam.pk, ReviewerRole.REVIEWER),
            ],
        )  # fmt: skip
        review_services.reading_start(round_id=round_.pk, user=li)
        review_services.comment_create(
            round_id=round_.pk, author=li, section="press_release.headline",
            quote="holds your delivery slot",
            body="Clear headline. Could the subheading say how long the hold lasts? @maya",
        )  # fmt: skip
        review_services.comment_create(
            round_id=round_.pk, author=li, section="general", blocking=False,
            body="The FAQ on what happens when the hold ends answered my main worry.",
        )  # fmt: skip
        review_services.reading_done(round_id=round_.pk, user=li)
        review_services.decision_record(
            round_id=round_.pk, reviewer=li, decision="approve", rationale=""
        )
        self._later_stages(users)

    def _run(self, proposal: Proposal, decisions: list[tuple[User, str, str, str]]) -> None:
        from datetime import timedelta

        from django.utils import timezone

        from reviews import services as review_services

        round_ = review_services.round_open(
            proposal_id=proposal.pk, actor=proposal.owner, mode="async",
            due=timezone.now() + timedelta(days=5),
            reviewers=[review_services.ReviewerChoice(u.pk, role) for u, role, _, _ in decisions],
        )  # fmt: skip
        for user, _, _, _ in decisions:
            review_services.reading_start(round_id=round_.pk, user=user)
            review_services.reading_done(round_id=round_.pk, user=user)
        for user, _, decision, note in decisions:
            review_services.decision_record(
                round_id=round_.pk, reviewer=user, decision=decision, rationale=note
            )

    def _later_stages(self, users: dict[str, User]) -> None:
        """Proposals approved, launched with readings, measured and killed: a full funnel."""
        import copy
        from datetime import timedelta
        from decimal import Decimal

        from django.utils import timezone

        from prfaq.models import Metric

        maya, priya, jonas = (
            users[e] for e in ("maya@example.com", "priya@example.com", "jonas@example.com")
        )
        director = users["director@example.com"]
        today = timezone.localdate()
        stages = [
            ("search", priya, DEMO_PROPOSALS[1]["title"], None, "launched"),
            ("checkout", maya, "Substitutions you approve before we pick", "Approve every substitution before your order is picked", "measured"),
            ("checkout", maya, "Same-day delivery for rural postcodes", "Same-day delivery reaches rural postcodes", "killed"),
            ("search", priya, "Reorder last week's basket in one tap", "Reorder last week's basket in one tap", "approved"),
        ]  # fmt: skip
        for slug, owner, title, headline, stage in stages:
            team = Team.objects.get(slug=slug)
            proposal = Proposal.objects.filter(team=team, title=title).first()
            if proposal is None:
                proposal = prfaq_services.proposal_create(team=team, owner=owner, title=title)
                content = copy.deepcopy(DEMO_PROPOSALS[0]["document"])
                content["press_release"]["headline"] = headline or title
                for step in document.STEPS:
                    current = Proposal.objects.get(pk=proposal.pk).current_revision
                    prfaq_services.proposal_save_step(
                        proposal_id=proposal.pk, user=owner, step_key=step.key,
                        base_step_hash=document.step_hash(current.content, step.key),
                        content=content[step.key],
                    )  # fmt: skip
            member = jonas if slug == "search" else users["li@example.com"]
            outsider = maya if slug == "search" else priya
            self._run(proposal, [(member, "reviewer", "approve", "")])
            self._run(
                proposal,
                [(member, "reviewer", "approve", ""), (outsider, "bar_raiser", "approve", "")],
            )
            if stage == "killed":
                self._run(
                    proposal,
                    [(director, "approver", "kill", "Rural same-day needs a second depot: "
                      "£2.4m for an estimated 1,900 weekly orders. Not this year.")],
                )  # fmt: skip
                continue
            self._run(proposal, [(director, "approver", "approve", "")])
            if stage == "approved":
                continue
            launched = today - timedelta(days=70)
            prfaq_services.proposal_launch(
                proposal_id=proposal.pk, actor=owner, launched_on=launched,
                review_on=today - timedelta(days=1) if stage == "measured" else today + timedelta(days=30),
            )  # fmt: skip
            for metric in Metric.objects.filter(proposal=proposal):
                base = metric.baseline or Decimal(0)
                goal = metric.target or base + 1
                for week in range(1, 9):
                    value = base + (goal - base) * Decimal(week) / Decimal(10)
                    prfaq_services.reading_record(
                        metric_id=metric.pk, user=owner, on=launched + timedelta(days=7 * week),
                        value=value.quantize(Decimal("0.1")), note="weekly report" if week == 1 else "",
                    )  # fmt: skip
            if stage == "measured":
                prfaq_services.outcome_record(
                    proposal_id=proposal.pk, actor=owner, verdict="partly",
                    evidence="Substitution complaints fell from 3.1% to 1.2% of orders; "
                    "the approval step added 40 seconds to checkout, more than we promised.",
                )  # fmt: skip


WITHDRAWN: dict[str, Any] = {
    "team": "checkout",
    "owner": "li@example.com",
    "title": "Gift wrapping at checkout",
    "withdraw": "Eleven requests in a year is not a customer problem worth a team.",
    "document": {
        **document.empty_document(),
        "customer": {
            "who": "Customers sending a grocery hamper to someone else as a present.",
            "how_many": "About 11 requests a year reach support.",
            "evidence": "Support tickets tagged *gift* from the last twelve months.",
        },
        "problem": {
            "statement": '"I want it to arrive looking like a present, not a shopping bag."',
            "today": "They order to their own address and wrap it themselves.",
        },
    },
}

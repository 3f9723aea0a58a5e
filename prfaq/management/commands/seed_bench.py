"""Generate a large, realistic data set fast, with bulk inserts, for `make bench`."""

from __future__ import annotations

import copy
import random
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Membership, Role, Team, User
from prfaq import checks, rendering, search
from prfaq.demo_content import DEMO_PROPOSALS
from prfaq.lifecycle import Status
from prfaq.models import Metric, MetricReading, Proposal, Revision
from reviews.models import Assignment, Comment, Ring, Round
from reviews.services import rings_create_defaults

BENCH_PASSWORD = "bench-password"  # noqa: S105 - a throwaway benchmark database only
BATCH = 2000


class Command(BaseCommand):
    help = "Seed a benchmark data set (defaults: 10,000 proposals, 100,000 comments, ...)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--teams", type=int, default=20)
        parser.add_argument("--users", type=int, default=200)
        parser.add_argument("--proposals", type=int, default=10_000)
        parser.add_argument("--revisions", type=int, default=30_000)
        parser.add_argument("--rounds", type=int, default=5_000)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--readings", type=int, default=20_000)
        parser.add_argument("--force", action="store_true", help="Seed even if bench data exists.")

    def say(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f}s] {message}")

    def handle(self, *args: Any, **o: Any) -> None:
        self.started = time.monotonic()
        if Team.objects.filter(slug="bench-01").exists() and not o["force"]:
            self.say("Bench data already present (use --force to add more).")
            return
        rng = random.Random(7)  # noqa: S311 - reproducible, not security
        now = timezone.now()
        with transaction.atomic():
            teams = Team.objects.bulk_create(
                [
                    Team(name=f"Bench team {i:02d}", slug=f"bench-{i:02d}")
                    for i in range(1, o["teams"] + 1)
                ]
            )
            for team in teams:
                rings_create_defaults(team=team)
            password = make_password(BENCH_PASSWORD)
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"bench{i:03d}@example.com",
                        display_name=f"Bench Person {i:03d}",
                        password=password,
                    )
                    for i in range(1, o["users"] + 1)
                ]
            )
            per_team = max(1, len(users) // len(teams))
            Membership.objects.bulk_create(
                [
                    Membership(
                        team=teams[i // per_team % len(teams)],
                        user=u,
                        role=Role.LEAD if i % per_team == 0 else Role.MEMBER,
                    )
                    for i, u in enumerate(users)
                ]
            )
            self.say(f"{len(teams)} teams, {len(users)} users")

            # One rendered document, reused: rendering is not what is being measured here.
            base = copy.deepcopy(DEMO_PROPOSALS[0]["document"])
            rendered = rendering.render_document(base)
            findings = [f.as_dict() for f in checks.run(base)]
            text = search.document_text("", base)
            members = {
                t.pk: [u for i, u in enumerate(users) if i // per_team % len(teams) == n]
                for n, t in enumerate(teams)
            }
            statuses = (
                [Status.DRAFTING] * 5
                + [Status.IN_REVIEW] * 2
                + [
                    Status.APPROVED,
                    Status.LAUNCHED,
                    Status.MEASURED,
                    Status.KILLED,
                    Status.WITHDRAWN,
                ]
            )
            proposals = []
            for i in range(o["proposals"]):
                team = teams[i % len(teams)]
                owner = rng.choice(members[team.pk])
                created = now - timedelta(days=rng.randint(1, 700))
                proposals.append(
                    Proposal(team=team, owner=owner, title=f"Proposal {i:05d}: {rng.choice(['slot holds', 'recipe baskets', 'dietary search', 'express checkout', 'split bills'])}",
                             status=rng.choice(statuses), created=created, updated=created + timedelta(days=rng.randint(0, 60)),
                             search_text=f"Proposal {i} {text}")
                )  # fmt: skip
            proposals = Proposal.objects.bulk_create(proposals, batch_size=BATCH)
            self.say(f"{len(proposals)} proposals")

            per = max(1, o["revisions"] // len(proposals))
            revisions = []
            for p in proposals:
                for n in range(1, per + 1):
                    revisions.append(
                        Revision(proposal=p, number=n, parent_number=n - 1 or None, author=p.owner, created=p.created, updated=p.created,
                                 content=base, rendered=rendered, findings=findings, content_hash=f"{p.pk:032d}{n:032d}",
                                 steps_touched=["customer"], frozen=n < per)
                    )  # fmt: skip
            Revision.objects.bulk_create(revisions, batch_size=BATCH)
            newest = dict(
                Revision.objects.filter(number=per, proposal__in=proposals).values_list(
                    "proposal_id", "pk"
                )
            )
            first = dict(
                Revision.objects.filter(number=1, proposal__in=proposals).values_list(
                    "proposal_id", "pk"
                )
            )
            for p in proposals:
                p.current_revision_id = newest[p.pk]
            Proposal.objects.bulk_update(proposals, ["current_revision"], batch_size=BATCH)
            self.say(f"{len(revisions)} revisions")

            rings: dict[int, Ring] = {}
            for ring in Ring.objects.filter(team__in=teams).order_by("position"):
                rings.setdefault(ring.team_id, ring)
            reviewed = [p for p in proposals if p.status != Status.DRAFTING][: o["rounds"]]
            rounds = Round.objects.bulk_create(
                [Round(proposal=p, number=1, ring=rings[p.team_id], revision_id=first[p.pk], status="closed", outcome="passed",
                       opened=p.created, due=p.created + timedelta(days=5), closed=p.created + timedelta(days=3)) for p in reviewed],
                batch_size=BATCH,
            )  # fmt: skip
            assignments = []
            for r, p in zip(rounds, reviewed, strict=True):
                for user in [u for u in members[p.team_id] if u.pk != p.owner_id][:2]:
                    assignments.append(Assignment(round=r, reviewer=user, reading_started=r.opened, reading_finished=r.opened, decision="approve", decided=r.closed, decided_revision_id=first[p.pk]))  # fmt: skip
            Assignment.objects.bulk_create(assignments, batch_size=BATCH)
            self.say(f"{len(rounds)} rounds, {len(assignments)} assignments")

            comments = []
            for i in range(o["comments"]):
                r = rounds[0] if i < 200 else rounds[i % len(rounds)]  # one round with 200
                comments.append(
                    Comment(proposal_id=r.proposal_id, round=r, author=assignments[(i * 2) % len(assignments)].reviewer, section="press_release.summary",
                            body=f"Comment {i}: what does the customer do when the hold ends?", created=r.opened, published=r.opened,
                            anchor_revision_id=r.revision_id)
                )  # fmt: skip
                if len(comments) >= BATCH:
                    Comment.objects.bulk_create(comments)
                    comments = []
            Comment.objects.bulk_create(comments)
            self.say(f"{o['comments']} comments")

            launched = [p for p in proposals if p.status in (Status.LAUNCHED, Status.MEASURED)]
            metrics = Metric.objects.bulk_create(
                [Metric(proposal=p, key=f"m{k}", name=f"Metric {k}", kind="output", unit="%", baseline=Decimal(40), target=Decimal(60), due=(p.created + timedelta(days=365)).date())
                 for p in launched for k in (1, 2)], batch_size=BATCH,
            )  # fmt: skip
            if metrics:
                per_metric = max(1, o["readings"] // len(metrics))
                readings = [
                    MetricReading(metric=m, date=(m.due or timezone.localdate()) - timedelta(days=7 * (per_metric - j)), value=Decimal(40 + j), recorded_by=users[0])
                    for m in metrics for j in range(per_metric)
                ]  # fmt: skip
                MetricReading.objects.bulk_create(readings, batch_size=BATCH)
                self.say(f"{len(metrics)} metrics, {len(readings)} readings")

            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "UPDATE prfaq_proposal SET search_vector = "
                        "setweight(to_tsvector('english', title), 'A') || "
                        "setweight(to_tsvector('english', search_text), 'B')"
                    )
                    cursor.execute("ANALYZE")
                self.say("search vectors built")
        self.say("done")

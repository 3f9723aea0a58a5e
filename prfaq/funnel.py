"""The proposal funnel: where proposals are, how many move on, how long each stage takes.

Counts are grouped in the database; Python only arranges the handful of grouped rows.
Medians are taken over per-stage durations (one value per round or transition).
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery

from prfaq.lifecycle import Status
from prfaq.models import Event, Proposal
from reviews.lifecycle import Outcome
from reviews.models import Ring, Round


@dataclass
class Stage:
    key: str
    label: str
    now: int = 0  # proposals in this stage now
    reached: int = 0  # proposals that ever reached it
    conversion: float | None = None  # share that went on to the next stage
    median_days: float | None = None


def proposals(
    *, team_ids: list[int], team: int | None, start: date | None, end: date | None
) -> QuerySet[Proposal]:
    qs = Proposal.objects.filter(team_id__in=team_ids)
    if team:
        qs = qs.filter(team_id=team)
    if start:
        qs = qs.filter(created__date__gte=start)
    if end:
        qs = qs.filter(created__date__lte=end)
    return qs


def compute(qs: QuerySet[Proposal], team: int | None, team_ids: list[int]) -> dict[str, Any]:
    """Stages with counts now, reached, conversion and median days, plus kill rate.

    Ring stages are named by position, from the rings of `team` when it is given and
    else of the viewer's own teams (`team_ids`): never another team's names.
    """
    ring_names = dict(
        Ring.objects.filter(team_id__in=[team] if team else team_ids)
        .values_list("position", "name")
        .order_by("-team_id")
    )
    positions = sorted(ring_names) or [1, 2, 3]
    status_counts = dict(qs.values_list("status").annotate(n=Count("pk")).order_by())
    total = sum(status_counts.values())

    latest = Round.objects.filter(proposal=OuterRef("pk"), amendment=False).order_by("-number")
    in_review = (
        qs.filter(status=Status.IN_REVIEW)
        .annotate(
            pos=Subquery(latest.values("ring__position")[:1]),
            out=Subquery(latest.values("outcome")[:1]),
        )
        .values("pos", "out")
        .annotate(n=Count("pk"))
        .order_by()
    )
    now_in_ring = dict.fromkeys(positions, 0)
    for row in in_review:
        pos = row["pos"] or positions[0]
        if row["out"] == Outcome.PASSED:
            later = [p for p in positions if p > pos]
            pos = later[0] if later else pos
        now_in_ring[pos] = now_in_ring.get(pos, 0) + row["n"]

    reached_ring = dict(
        Round.objects.filter(proposal__in=qs, amendment=False)
        .values("ring__position")
        .annotate(n=Count("proposal", distinct=True))
        .values_list("ring__position", "n")
        .order_by()
    )
    approved_like = [Status.APPROVED, Status.LAUNCHED, Status.MEASURED]
    stages = [
        Stage(
            "drafting",
            "Drafting",
            status_counts.get(Status.DRAFTING, 0) + status_counts.get(Status.CHANGES_REQUESTED, 0),
            total,
        )
    ]
    for p in positions:
        stages.append(
            Stage(
                f"ring-{p}",
                ring_names.get(p, f"Ring {p}"),
                now_in_ring.get(p, 0),
                reached_ring.get(p, 0),
            )
        )
    stages += [
        Stage("approved", "Approved", status_counts.get(Status.APPROVED, 0), sum(status_counts.get(s, 0) for s in approved_like)),
        Stage("launched", "Launched", status_counts.get(Status.LAUNCHED, 0), status_counts.get(Status.LAUNCHED, 0) + status_counts.get(Status.MEASURED, 0)),
        Stage("measured", "Measured", status_counts.get(Status.MEASURED, 0), status_counts.get(Status.MEASURED, 0)),
    ]  # fmt: skip
    for a, b in itertools.pairwise(stages):
        a.conversion = (b.reached / a.reached) if a.reached else None

    # Median days per stage, from the rounds and the logged transitions.
    def days(pairs: list[tuple[Any, Any]]) -> float | None:
        values = [(end - start).total_seconds() / 86400 for start, end in pairs if start and end]
        return round(statistics.median(values), 1) if values else None

    by_ring: dict[int, list[tuple[Any, Any]]] = {}
    for pos, opened, closed in Round.objects.filter(
        proposal__in=qs, amendment=False, closed__isnull=False
    ).values_list("ring__position", "opened", "closed"):
        by_ring.setdefault(pos, []).append((opened, closed))
    first_submit = (
        Event.objects.filter(proposal=OuterRef("pk"), action="submit")
        .order_by("created")
        .values("created")[:1]
    )
    approved_at = Event.objects.filter(proposal=OuterRef("pk"), action="approve").values("created")[
        :1
    ]
    launched_at = Event.objects.filter(proposal=OuterRef("pk"), action="launch").values("created")[
        :1
    ]
    measured_at = Event.objects.filter(proposal=OuterRef("pk"), action="measure").values("created")[
        :1
    ]
    times = list(
        qs.annotate(
            s=Subquery(first_submit),
            a=Subquery(approved_at),
            la=Subquery(launched_at),
            m=Subquery(measured_at),
        ).values_list(F("created"), "s", "a", "la", "m")
    )
    medians = {
        "drafting": days([(c, s) for c, s, *_ in times]),
        "approved": days([(a, la) for _, _, a, la, _ in times]),
        "launched": days([(la, m) for *_, la, m in times]),
    }
    for stage in stages:
        if stage.key.startswith("ring-"):
            stage.median_days = days(by_ring.get(int(stage.key[5:]), []))
        else:
            stage.median_days = medians.get(stage.key)

    killed = status_counts.get(Status.KILLED, 0)
    withdrawn = status_counts.get(Status.WITHDRAWN, 0)
    return {
        "stages": stages,
        "total": total,
        "killed": killed,
        "withdrawn": withdrawn,
        "kill_rate": killed / total if total else None,
    }


def killed_list(qs: QuerySet[Proposal], limit: int = 50) -> list[Proposal]:
    reason = (
        Event.objects.filter(proposal=OuterRef("pk"), action="kill")
        .order_by("-created")
        .values("note")[:1]
    )
    return list(
        qs.filter(status=Status.KILLED)
        .select_related("team")
        .annotate(reason=Subquery(reason))
        .order_by("-updated")[:limit]
    )


def measured_list(qs: QuerySet[Proposal], limit: int = 50) -> list[Proposal]:
    return list(
        qs.filter(status=Status.MEASURED).select_related("team").order_by("-updated")[:limit]
    )


W, BAR_H, GAP, LABEL_W = 640, 26, 8, 190


def chart(stages: list[Stage]) -> str:
    """The funnel as horizontal bars of how many reached each stage, in SVG."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    top = max((s.reached for s in stages), default=0) or 1
    height = len(stages) * (BAR_H + GAP) + GAP
    parts = [
        f'<svg class="chart funnel-chart" viewBox="0 0 {W} {height}" role="img" aria-label="Proposals reaching each stage" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, s in enumerate(stages):
        yy = GAP + i * (BAR_H + GAP)
        width = max(2.0, (W - LABEL_W - 60) * s.reached / top)
        x0 = LABEL_W + (W - LABEL_W - 60 - width) / 2
        parts.append(
            f'<text class="chart__label" x="{LABEL_W - 10}" y="{yy + BAR_H * 0.68:.1f}" font-size="13" text-anchor="end">{escape(s.label)}</text>'
            f'<rect class="funnel-chart__bar" x="{x0:.1f}" y="{yy}" width="{width:.1f}" height="{BAR_H}" rx="4" fill="currentColor"/>'
            f'<text class="chart__label" x="{W - 8}" y="{yy + BAR_H * 0.68:.1f}" font-size="13" text-anchor="end">{s.reached}</text>'
        )  # fmt: skip
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - labels escaped; numbers are ints

"""Success metrics after launch: status from baseline, target and due date; an SVG chart.

Pure functions over a metric and its readings (oldest first); no database access.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ON_TRACK, MET, MISSED, NO_DATA = "on_track", "met", "missed", "no_data"
STATUS_LABELS = {ON_TRACK: "On track", MET: "Met", MISSED: "Missed", NO_DATA: "No data"}


@dataclass(frozen=True)
class Point:
    date: date
    value: Decimal


def reached(value: Decimal, baseline: Decimal | None, target: Decimal) -> bool:
    """Whether `value` has reached `target`, in the direction from the baseline."""
    if baseline is not None and target < baseline:
        return value <= target
    return value >= target


def status(
    *, baseline: Decimal | None, target: Decimal | None, due: date | None,
    readings: list[Point], today: date,
) -> str:  # fmt: skip
    """no_data without readings; met once the latest reading reaches the target;
    missed when the due date has passed without that; on_track otherwise."""
    if not readings or target is None:
        return NO_DATA
    latest = max(readings, key=lambda p: p.date)
    if reached(latest.value, baseline, target):
        return MET
    if due is not None and today > due:
        return MISSED
    return ON_TRACK


W, H = 560, 220
PAD_L, PAD_R, PAD_T, PAD_B = 56, 16, 16, 36


def chart(
    *, name: str, unit: str, baseline: Decimal | None, target: Decimal | None,
    due: date | None, start: date | None, readings: list[Point],
) -> SafeString:  # fmt: skip
    """Readings against baseline and target as an accessible SVG, readable in print.

    Only presentation attributes and classes: no style attributes, so the CSP holds.
    """
    values = [p.value for p in readings] + [v for v in (baseline, target) if v is not None]
    dates = [p.date for p in readings] + [d for d in (start, due) if d is not None]
    if not values or not dates:
        return mark_safe("")
    lo, hi = float(min(values)), float(max(values))
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    margin = (hi - lo) * 0.1
    lo, hi = lo - margin, hi + margin
    d0, d1 = min(dates), max(dates)
    if d0 == d1:
        d1 = d0 + timedelta(days=1)
    span = (d1 - d0).days

    def x(d: date) -> float:
        return PAD_L + (W - PAD_L - PAD_R) * (d - d0).days / span

    def y(v: Decimal | float) -> float:
        return PAD_T + (H - PAD_T - PAD_B) * (1 - (float(v) - lo) / (hi - lo))

    u = f" {unit}" if unit else ""
    parts = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(name)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(name)}</title>",
        f"<desc>{len(readings)} readings; baseline {escape(baseline)}{escape(u)}, "
        f"target {escape(target)}{escape(u)} by {escape(due or 'no date')}.</desc>",
        f'<line class="chart__axis" x1="{PAD_L}" y1="{H - PAD_B}" x2="{W - PAD_R}" y2="{H - PAD_B}" stroke="currentColor"/>',
        f'<line class="chart__axis" x1="{PAD_L}" y1="{PAD_T}" x2="{PAD_L}" y2="{H - PAD_B}" stroke="currentColor"/>',
        f'<text class="chart__label" x="{PAD_L}" y="{H - 12}" font-size="11">{d0.isoformat()}</text>',
        f'<text class="chart__label" x="{W - PAD_R}" y="{H - 12}" font-size="11" text-anchor="end">{d1.isoformat()}</text>',
    ]
    for value, cls, label in [(baseline, "baseline", "baseline"), (target, "target", "target")]:
        if value is not None:
            yy = y(value)
            parts.append(
                f'<line class="chart__{cls}" x1="{PAD_L}" y1="{yy:.1f}" x2="{W - PAD_R}" y2="{yy:.1f}" '
                f'stroke="currentColor" stroke-dasharray="6 4"/>'
                f'<text class="chart__label" x="{PAD_L - 6}" y="{yy + 4:.1f}" font-size="11" '
                f'text-anchor="end">{escape(value.normalize())}</text>'
                f'<text class="chart__label chart__label--{cls}" x="{W - PAD_R}" y="{yy - 4:.1f}" '
                f'font-size="11" text-anchor="end">{label}</text>'
            )
    if due is not None:
        xx = x(due)
        parts.append(
            f'<line class="chart__due" x1="{xx:.1f}" y1="{PAD_T}" x2="{xx:.1f}" y2="{H - PAD_B}" '
            f'stroke="currentColor" stroke-dasharray="2 3"/>'
        )
    points = sorted(readings, key=lambda p: p.date)
    if points:
        path = " ".join(f"{x(p.date):.1f},{y(p.value):.1f}" for p in points)
        parts.append(
            f'<polyline class="chart__readings" points="{path}" fill="none" stroke="currentColor" stroke-width="2"/>'
        )
        for p in points:
            parts.append(
                f'<circle class="chart__point" cx="{x(p.date):.1f}" cy="{y(p.value):.1f}" r="3.5" fill="currentColor">'
                f"<title>{p.date.isoformat()}: {escape(p.value.normalize())}{escape(u)}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every user value is escaped above

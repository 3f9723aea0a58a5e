"""Review rings, rounds, assignments, comments and decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from prfaq.keys import KEY_LENGTH, new_key
from reviews.lifecycle import Outcome, RoundStatus

BODY_MAX = 5000
QUOTE_MAX = 1000


class PassRule(models.TextChoices):
    ALL_REQUIRED = "all_required", "All required reviewers approve"
    AT_LEAST = "at_least", "At least N approvals"


class Ring(models.Model):
    """One circle of review in a team's order: Team, Peers & stakeholders, Leadership."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="rings")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    pass_rule = models.CharField(
        max_length=20, choices=PassRule.choices, default=PassRule.ALL_REQUIRED
    )
    min_approvals = models.PositiveSmallIntegerField(default=1)
    reading_minutes = models.PositiveSmallIntegerField(default=20)
    requires_bar_raiser = models.BooleanField(default=False)
    may_kill = models.BooleanField(default=False)
    for_amendments = models.BooleanField(
        default=False, help_text="Amendments to an approved contract go through this ring."
    )

    class Meta:
        ordering = ["team", "position"]
        constraints = [
            models.UniqueConstraint(fields=["team", "position"], name="ring_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.name}"


class Mode(models.TextChoices):
    ASYNC = "async", "Async: each reviewer reads when they can"
    MEETING = "meeting", "Meeting: a timed reading period for everyone"


class Round(models.Model):
    proposal = models.ForeignKey("prfaq.Proposal", on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    ring = models.ForeignKey(Ring, on_delete=models.PROTECT, related_name="rounds")
    revision = models.ForeignKey("prfaq.Revision", on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ASYNC)
    amendment = models.BooleanField(
        default=False, help_text="Reviews a change to the approved contract."
    )
    status = models.CharField(
        max_length=12, choices=RoundStatus.choices, default=RoundStatus.READING
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True, max_length=BODY_MAX)
    opened = models.DateTimeField(default=timezone.now)
    due = models.DateTimeField()
    closed = models.DateTimeField(null=True, blank=True)
    # Meeting mode: the shared reading period (null until the facilitator starts it).
    reading_starts = models.DateTimeField(null=True, blank=True)
    reading_ends = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="round_number_unique"),
            models.UniqueConstraint(
                fields=["proposal"],
                condition=~Q(status="closed"),
                name="one_open_round_per_proposal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} round {self.number} ({self.ring.name})"

    def get_absolute_url(self) -> str:
        return reverse("round-detail", args=[self.proposal_id, self.number])

    @property
    def is_open(self) -> bool:
        return self.status != RoundStatus.CLOSED

    @property
    def meeting_reading_over(self) -> bool:
        return bool(self.reading_ends and self.reading_ends <= timezone.now())

    @property
    def phase(self) -> str:
        """The status as people experience it: a meeting's period ends by the clock."""
        if self.status == RoundStatus.READING and self.mode == Mode.MEETING:
            return RoundStatus.DISCUSSING if self.meeting_reading_over else RoundStatus.READING
        return self.status


class ReviewerRole(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    APPROVER = "approver", "Approver"
    BAR_RAISER = "bar_raiser", "Bar raiser"


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve"
    DISAGREE_COMMIT = "disagree_commit", "Approve — disagree and commit"
    REQUEST_CHANGES = "request_changes", "Request changes"
    KILL = "kill", "Kill"


APPROVALS = frozenset({Decision.APPROVE, Decision.DISAGREE_COMMIT})


class Assignment(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(
        max_length=12, choices=ReviewerRole.choices, default=ReviewerRole.REVIEWER
    )
    required = models.BooleanField(default=True)
    reading_started = models.DateTimeField(null=True, blank=True)
    reading_finished = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    rationale = models.TextField(blank=True, max_length=BODY_MAX)
    decided = models.DateTimeField(null=True, blank=True)
    decided_revision = models.ForeignKey(
        "prfaq.Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stale = models.BooleanField(default=False)
    reminded = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "reviewer"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.round}"

    def has_finished_reading(self, now=None) -> bool:
        now = now or timezone.now()
        return self.reading_finished is not None and self.reading_finished <= now

    @property
    def reading_seconds(self) -> int | None:
        if self.reading_started and self.reading_finished:
            return max(0, int((self.reading_finished - self.reading_started).total_seconds()))
        return None

    @property
    def counts_as_approval(self) -> bool:
        return self.decision in APPROVALS and not self.stale


class Comment(models.Model):
    """A comment on a round, anchored to a section and optionally a quote.

    `published` is when others may see it: null while it is its author's private
    draft; in a meeting round it is set to the end of the reading period, so drafts
    appear for everyone together when the clock runs out.
    """

    proposal = models.ForeignKey(
        "prfaq.Proposal", on_delete=models.CASCADE, related_name="comments"
    )
    # What pages and URLs name it by: the numeric id counts everyone's comments.
    key = models.CharField(max_length=KEY_LENGTH, unique=True, default=new_key, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    section = models.CharField(max_length=80)
    quote = models.CharField(max_length=QUOTE_MAX, blank=True)
    prefix = models.CharField(max_length=200, blank=True)
    suffix = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=BODY_MAX)
    blocking = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    published = models.DateTimeField(null=True, blank=True)
    # The revision its quote was last found in; `outdated` once a newer one lacks it.
    anchor_revision = models.ForeignKey(
        "prfaq.Revision", on_delete=models.PROTECT, related_name="+"
    )
    outdated = models.BooleanField(default=False)

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            models.Index(fields=["proposal", "created"]),
            models.Index(fields=["round", "published"]),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.section}: {self.body[:40]}"

"""The proposal domain: proposals, their revisions and events, and the notification outbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone

from prfaq.keys import KEY_LENGTH, new_key
from prfaq.lifecycle import Status


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    # Held back from someone still silently reading a round; released when they finish.
    HELD = "held", "Held"


class Notification(models.Model):
    """An email waiting to go out: the outbox.

    Written in the same transaction as the change that causes it, so a broker or mail
    outage delays a message but never loses it; a task delivers it and the sweep
    retries whatever is still pending.
    """

    kind = models.CharField(max_length=40)
    to_email = models.EmailField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    sent = models.DateTimeField(null=True, blank=True)
    # In the app: where it leads, and when its recipient saw it.
    url = models.CharField(max_length=300, blank=True)
    read = models.DateTimeField(null=True, blank=True)
    held_for_round = models.ForeignKey(
        "reviews.Round", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The proposal whose review caused it, if any: the admin hides these from a staff
    # member still reading that proposal's round. No database constraint: checking one
    # takes a share lock on the proposal row, and a reminder (holding an assignment's
    # lock) would then wait on a decision that holds the proposal and waits on the
    # assignment, a deadlock. Django still deletes these with their proposal.
    proposal = models.ForeignKey(
        "prfaq.Proposal", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        db_constraint=False,
    )  # fmt: skip
    # What pages and forms name it by; the numeric id counts everyone's notifications.
    key = models.CharField(max_length=KEY_LENGTH, unique=True, default=new_key, editable=False)

    class Meta:
        ordering = ["-created"]
        indexes = [
            models.Index(
                fields=["created"],
                name="notification_pending_idx",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["user", "read", "-created"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email} ({self.status})"


class Proposal(models.Model):
    """An idea written as a PR/FAQ. Its working text is its newest Revision."""

    # Set by the access functions: the viewer's role in the team, None for staff or a
    # reviewer from outside it. Not a column.
    viewer_role: str | None
    snippet_html: str  # set by search on the rows it returns

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="proposals")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_proposals",
        help_text="The single-threaded leader.",
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFTING)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    # Plain text of the newest revision, for search; on PostgreSQL also a tsvector
    # (maintained by services, GIN-indexed by migration 0007).
    search_text = models.TextField(blank=True, default="")
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    launched_on = models.DateField(null=True, blank=True)
    outcome_review_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, blank=True)
    outcome_evidence = models.TextField(blank=True, max_length=5000)
    outcome_reminded = models.DateTimeField(null=True, blank=True)
    # What an import could not place in a field, kept for the author to copy from.
    unplaced_text = models.TextField(blank=True, default="")
    # Denormalised pointer to the newest revision so lists and pages need no subquery.
    # Null only inside the transaction that creates the proposal and its first revision.
    # Typed as always set: every proposal gets its first revision as it is created.
    current_revision: models.ForeignKey[Revision | None, Revision] = models.ForeignKey(  # type: ignore[misc]
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-updated"]
        indexes = [
            models.Index(fields=["team", "status", "-updated"]),
            models.Index(fields=["owner", "-updated"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="proposal_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposal-memo", args=[self.pk])


class Revision(models.Model):
    """An append-only snapshot of the whole document.

    Never changed once `frozen` (a review round or contract refers to it). Until
    then, autosaves by the same author within a few minutes may update it in place.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    parent_number = models.PositiveIntegerField(null=True, blank=True)
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    content = models.JSONField(default=dict)
    rendered = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=64)
    steps_touched = models.JSONField(default=list)
    # Writing-check findings for this content, computed on save like `rendered`.
    findings = models.JSONField(default=list)
    frozen = models.BooleanField(default=False)
    saves = models.PositiveIntegerField(default=1, help_text="Autosaves coalesced into this one.")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} r{self.number}"


class Acknowledgement(models.Model):
    """An author's reason for keeping a writing-check warning; reviewers see it.

    Keyed by the finding's stable key, so it follows the flagged words across
    revisions and lapses when they change.
    """

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    key = models.CharField(max_length=32)
    rule = models.CharField(max_length=40)
    field = models.CharField(max_length=80)
    excerpt = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=300)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "key"], name="acknowledgement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} on {self.field}: {self.reason}"


class EventAction(models.TextChoices):
    """Every action the timeline records. Each is classified in REVEALING or PLAIN."""

    CREATE = "create", "Started the proposal"
    RESTORE = "restore", "Restored a revision"
    CHANGE_OWNER = "change_owner", "Changed the owner"
    SUBMIT = "submit", "Submitted for review"
    REQUEST_CHANGES = "request_changes", "Changes requested"
    APPROVE = "approve", "Approved"
    CONTRACT = "contract", "Wrote the build contract"
    LAUNCH = "launch", "Marked launched"
    MEASURE = "measure", "Recorded the outcome"
    KILL = "kill", "Killed"
    WITHDRAW = "withdraw", "Withdrew the proposal"
    ROUND_OPEN = "round_open", "Opened a review round"
    ROUND_REVISED = "round_revised", "Put a newer revision up for review"
    READING_START = "reading_start", "Started the reading period"
    READING_OVER = "reading_over", "Reading period over"
    DONE_READING = "done_reading", "Finished reading"
    DECIDE = "decide", "Decided"
    ROUND_CLOSE = "round_close", "Closed the round"
    RING_PASSED = "ring_passed", "Passed a ring"
    AMENDMENT_KILLED = "amendment_killed", "Amendment killed"


# Entries that tell what reviewers think or did: hidden from anyone still reading.
REVEALING = frozenset(
    {EventAction.REQUEST_CHANGES, EventAction.APPROVE, EventAction.CONTRACT, EventAction.KILL,
     EventAction.READING_OVER, EventAction.DONE_READING, EventAction.DECIDE,
     EventAction.ROUND_CLOSE, EventAction.RING_PASSED, EventAction.AMENDMENT_KILLED}
)  # fmt: skip
# Entries about the author's own work and the round's setup, which readers may see.
PLAIN = frozenset(
    {EventAction.CREATE, EventAction.RESTORE, EventAction.CHANGE_OWNER, EventAction.SUBMIT,
     EventAction.LAUNCH, EventAction.MEASURE, EventAction.WITHDRAW, EventAction.ROUND_OPEN,
     EventAction.ROUND_REVISED, EventAction.READING_START}
)  # fmt: skip


class Event(models.Model):
    """The append-only log of every transition and decision: audit trail and timeline."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40, choices=EventAction.choices)
    # The review round it belongs to, if any: a reviewer from outside the team sees
    # the entries of their own rounds only.
    round_number = models.PositiveIntegerField(null=True, blank=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True, max_length=4000)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["proposal", "created"])]

    def __str__(self) -> str:
        return f"{self.action} on {self.proposal_id} by {self.actor_id}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # An action nobody classified could slip past the readers' filter: refuse it.
        if self.action not in REVEALING | PLAIN:
            raise ValueError(f"Event action {self.action!r} is not in EventAction.")
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return EventAction(self.action).label


class ImmutableQuerySet(models.QuerySet):
    """Contracts are never changed or deleted once written: not even in bulk."""

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("A contract version is immutable.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise PermissionError("A contract version is immutable.")


class Contract(models.Model):
    """A version of the build contract: the approved revision, frozen and hashed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="contracts")
    version = models.PositiveIntegerField()
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    content_hash = models.CharField(max_length=64)
    approvers = models.JSONField(default=list)  # name, email, role, decision, rationale
    rounds = models.JSONField(default=list)  # ring, outcome, closed: how it got here
    approved = models.DateTimeField(default=timezone.now)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "version"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "version"], name="contract_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} contract v{self.version}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise PermissionError("A contract version is immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("A contract version is immutable.")


class Metric(models.Model):
    """A success metric of the contract, tracked after launch. Keyed by its document id."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="metrics")
    key = models.CharField(max_length=12)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10)
    unit = models.CharField(max_length=40, blank=True)
    baseline = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    due = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True, help_text="Still in the newest contract.")

    class Meta:
        ordering = ["proposal", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "key"], name="metric_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MetricReading(models.Model):
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="readings")
    date = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=4)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["metric", "date", "pk"]
        indexes = [models.Index(fields=["metric", "date"])]

    def __str__(self) -> str:
        return f"{self.metric}: {self.value} on {self.date}"


class OutcomeVerdict(models.TextChoices):
    YES = "yes", "Yes: the benefit arrived"
    PARTLY = "partly", "Partly"
    NO = "no", "No"

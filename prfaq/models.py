"""The proposal domain: proposals, their revisions and events, and the notification outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

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
    # Denormalised pointer to the newest revision so lists and pages need no subquery.
    current_revision = models.ForeignKey(
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


class Event(models.Model):
    """The append-only log of every transition and decision: audit trail and timeline."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True, max_length=4000)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["proposal", "created"])]

    def __str__(self) -> str:
        return f"{self.action} on {self.proposal_id} by {self.actor_id}"

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action.replace("_", " ").capitalize())


EVENT_LABELS = {
    "create": "Started the proposal",
    "restore": "Restored a revision",
    "change_owner": "Changed the owner",
    "submit": "Submitted for review",
    "request_changes": "Changes requested",
    "approve": "Approved",
    "launch": "Marked launched",
    "measure": "Recorded the outcome",
    "kill": "Killed",
    "withdraw": "Withdrew the proposal",
    "round_open": "Opened a review round",
    "round_revised": "Put a newer revision up for review",
    "reading_start": "Started the reading period",
    "reading_over": "Reading period over",
    "done_reading": "Finished reading",
    "decide": "Decided",
    "round_close": "Closed the round",
    "ring_passed": "Passed a ring",
}

"""Input validation for rounds, comments, decisions and rings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

from prfaq.forms import reject_line_breaks
from prfaq.keys import KEY_LENGTH, KEY_PATTERN
from reviews.models import BODY_MAX, QUOTE_MAX, Decision, Mode, PassRule, ReviewerRole, Ring
from reviews.services import ReviewerChoice


class RoundOpenForm(forms.Form):
    mode = forms.ChoiceField(choices=Mode.choices, initial=Mode.ASYNC, widget=forms.RadioSelect)
    due = forms.DateField(
        label="Decisions due by",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["due"].initial = (timezone.localdate() + timedelta(days=5)).isoformat()
        for user in candidates:
            self.fields[f"role-{user.pk}"] = forms.ChoiceField(
                choices=[("", "Not reviewing"), *ReviewerRole.choices], required=False
            )
            self.fields[f"required-{user.pk}"] = forms.BooleanField(required=False, initial=True)

    def clean_due(self) -> Any:
        due = self.cleaned_data["due"]
        if due <= timezone.localdate():
            raise ValidationError("Give reviewers at least until tomorrow.")
        if due > timezone.localdate() + timedelta(days=365):
            raise ValidationError("Choose a date within a year.")
        return due

    def reviewer_rows(self) -> list[dict[str, Any]]:
        return [
            {"user": u, "role": self[f"role-{u.pk}"], "required": self[f"required-{u.pk}"]}
            for u in self.candidates
        ]

    def choices(self) -> list[ReviewerChoice]:
        return [
            ReviewerChoice(
                u.pk, self.cleaned_data[f"role-{u.pk}"], self.cleaned_data[f"required-{u.pk}"]
            )
            for u in self.candidates
            if self.cleaned_data.get(f"role-{u.pk}")
        ]


class CommentForm(forms.Form):
    section = forms.CharField(max_length=80, required=False)
    quote = forms.CharField(max_length=QUOTE_MAX, required=False, label="Quote (optional)",
                            help_text="Paste the exact words you are commenting on.")  # fmt: skip
    prefix = forms.CharField(max_length=200, required=False, strip=False)  # type: ignore[assignment]
    suffix = forms.CharField(max_length=200, required=False, strip=False)
    body = forms.CharField(
        max_length=BODY_MAX, label="Comment", widget=forms.Textarea(attrs={"rows": 4})
    )
    blocking = forms.BooleanField(required=False, label="This is a blocking concern")
    # The thread's key. Any other text is answered as a thread that does not exist.
    parent = forms.CharField(
        required=False, max_length=KEY_LENGTH, widget=forms.HiddenInput,
        validators=[RegexValidator(KEY_PATTERN, "That thread does not exist.")],
        error_messages={"max_length": "That thread does not exist."},
    )  # fmt: skip


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision.", "invalid_choice": "Choose a decision."},
    )
    rationale = forms.CharField(
        max_length=BODY_MAX, required=False, label="Note",
        help_text="Required for disagree-and-commit, requesting changes and killing.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class RingForm(forms.ModelForm):
    class Meta:
        model = Ring
        fields = [
            "name",
            "pass_rule",
            "min_approvals",
            "reading_minutes",
            "requires_bar_raiser",
            "may_kill",
            "for_amendments",
        ]
        widgets = {"pass_rule": forms.Select(choices=PassRule.choices)}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        reject_line_breaks(name)  # ring names go into email subjects
        return name

    def clean_reading_minutes(self) -> int:
        minutes = self.cleaned_data["reading_minutes"]
        if not 1 <= minutes <= 240:
            raise ValidationError("Between 1 and 240 minutes.")
        return minutes

    def clean_min_approvals(self) -> int:
        n = self.cleaned_data["min_approvals"]
        if not 1 <= n <= 50:
            raise ValidationError("Between 1 and 50.")
        return n

"""Input validation for proposals and the step editor, with messages next to the field."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from accounts.models import Team, User
from accounts.validators import one_line
from prfaq import document, importing
from prfaq.document import Step
from prfaq.guidance import FAQ_CHECKLIST
from prfaq.lifecycle import Status
from prfaq.models import OutcomeVerdict

ROW_ID = re.compile(r"[a-z]{1,2}[0-9]{1,6}")


# Names and titles go into email subjects, where a line break stops the message.
reject_line_breaks = one_line


class ProposalCreateForm(forms.Form):
    title = forms.CharField(
        max_length=document.TITLE_MAX,
        help_text="A working name for the idea. You can write the headline later.",
        validators=[reject_line_breaks],
        widget=forms.TextInput(attrs={"autofocus": True}),
    )
    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None)

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["team"].error_messages["invalid_choice"] = "Choose one of your teams."

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError("Give the proposal a title.")
        return title


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), empty_label=None)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members  # type: ignore[attr-defined]
        self.fields["owner"].label = "Owner (single-threaded leader)"
        self.fields["owner"].error_messages["invalid_choice"] = "Choose a member of the team."


class WithdrawForm(forms.Form):
    note = forms.CharField(
        max_length=2000,
        required=False,
        label="Why? (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcknowledgeForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        error_messages={"required": "Say in a few words why this warning does not apply."},
    )


class ProposalFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    team = forms.SlugField(required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    mine = forms.BooleanField(required=False)


class DiffForm(forms.Form):
    a = forms.IntegerField(min_value=1, max_value=10**9)
    b = forms.IntegerField(min_value=1, max_value=10**9)


def _decimal_text(value: str, label: str) -> str:
    value = value.strip().replace(",", "")
    if not value:
        return ""
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValidationError(f"{label} must be a number, like 12 or 3.5.") from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
        raise ValidationError(f"{label} must be a finite number below a quadrillion.")
    return format(number.normalize(), "f") if number == number.to_integral() else str(number)


class MetricForm(forms.Form):
    name = forms.CharField(max_length=document.METRIC_NAME_MAX, required=False, strip=False)
    kind = forms.ChoiceField(choices=document.METRIC_KINDS)
    unit = forms.CharField(max_length=document.METRIC_VALUE_MAX, required=False)
    baseline = forms.CharField(max_length=document.METRIC_VALUE_MAX, required=False)
    target = forms.CharField(max_length=document.METRIC_VALUE_MAX, required=False)
    due = forms.DateField(
        required=False,
        error_messages={"invalid": "Enter the due date as YYYY-MM-DD."},
    )

    def clean_baseline(self) -> str:
        return _decimal_text(self.cleaned_data["baseline"], "The baseline")

    def clean_target(self) -> str:
        return _decimal_text(self.cleaned_data["target"], "The target")


class FaqEntryForm(forms.Form):
    question = forms.CharField(max_length=document.QUESTION_MAX, required=False, strip=False)
    answer = forms.CharField(max_length=document.LONG_MAX, required=False, strip=False)
    audience = forms.ChoiceField(choices=document.AUDIENCES)


class StepFieldsForm(forms.Form):
    """The plain fields of one step, built from its definition in document.py."""

    def __init__(self, *args: Any, step: Step, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in step.fields:
            self.fields[f.key] = forms.CharField(
                label=f.label,
                help_text=f.help,
                max_length=f.max_length,
                required=False,
                strip=False,
                error_messages={
                    "max_length": f"Keep this to {f.max_length:,} characters or fewer "
                    "(it has %(show_value)d)."
                },
            )


class StepEditor:
    """Parses and validates a step's POST: its fields, metric rows and FAQ entries.

    Row order comes from the repeated hidden inputs `metric` / `faq` (their ids);
    each row's inputs are prefixed with its id. After `is_valid()`, `content` is the
    step as the author submitted it, ready for `apply(action)` and saving.
    """

    def __init__(self, step: Step, data: QueryDict) -> None:
        self.step = step
        self.fields = StepFieldsForm(data, step=step)
        self.metric_forms: list[tuple[str, MetricForm]] = []
        self.faq_forms: list[tuple[str, FaqEntryForm]] = []
        self.errors: list[str] = []
        if step.has_metrics:
            self.metric_forms = [
                (row_id, MetricForm(data, prefix=f"metric-{row_id}"))
                for row_id in self._row_ids(data, "metric", document.MAX_METRICS, "metrics")
            ]
        if step.has_faq:
            self.faq_forms = [
                (row_id, FaqEntryForm(data, prefix=f"faq-{row_id}"))
                for row_id in self._row_ids(data, "faq", document.MAX_FAQ_ENTRIES, "FAQ entries")
            ]
        self.content: dict[str, Any] = {}

    def _row_ids(self, data: QueryDict, name: str, limit: int, noun: str) -> list[str]:
        ids = [i for i in data.getlist(name) if ROW_ID.fullmatch(i)]
        ids = list(dict.fromkeys(ids))  # a repeated id counts once
        if len(ids) > limit:
            self.errors.append(f"A PR/FAQ can have at most {limit} {noun}.")
            ids = ids[:limit]
        return ids

    def is_valid(self) -> bool:
        valid = self.fields.is_valid()
        valid = all(form.is_valid() for _, form in self.metric_forms) and valid
        valid = all(form.is_valid() for _, form in self.faq_forms) and valid
        if not valid or self.errors:
            return False
        content: dict[str, Any] = {f.key: self.fields.cleaned_data[f.key] for f in self.step.fields}
        if self.step.has_metrics:
            content["metrics"] = [
                {
                    "id": row_id,
                    **{k: form.cleaned_data[k] for k in ("name", "kind", "unit")},
                    "baseline": form.cleaned_data["baseline"],
                    "target": form.cleaned_data["target"],
                    "due": form.cleaned_data["due"].isoformat() if form.cleaned_data["due"] else "",
                }
                for row_id, form in self.metric_forms
            ]
        if self.step.has_faq:
            content["entries"] = [
                {
                    "id": row_id,
                    **{k: form.cleaned_data[k] for k in ("question", "answer", "audience")},
                }
                for row_id, form in self.faq_forms
            ]
        self.content = content
        return True

    def error_count(self) -> int:
        forms_ = [self.fields, *(f for _, f in self.metric_forms), *(f for _, f in self.faq_forms)]
        return len(self.errors) + sum(len(f.errors) for f in forms_)

    def apply(self, action: str) -> str | None:
        """Apply a structural action to `content`; return an error message or None."""
        verb, _, arg = action.partition(":")
        if verb == "add_metric":
            metrics = self.content.setdefault("metrics", [])
            if len(metrics) >= document.MAX_METRICS:
                return f"A PR/FAQ can have at most {document.MAX_METRICS} metrics."
            metrics.append({"id": _new_id("m", metrics), "kind": "output"})
        elif verb == "remove_metric":
            self.content["metrics"] = [m for m in self.content.get("metrics", []) if m["id"] != arg]
        elif verb in {"add_faq", "suggest"}:
            entries = self.content.setdefault("entries", [])
            if len(entries) >= document.MAX_FAQ_ENTRIES:
                return f"A PR/FAQ can have at most {document.MAX_FAQ_ENTRIES} FAQ entries."
            audience, _, index = arg.partition(":")
            if audience not in dict(document.AUDIENCES):
                return "Choose external or internal."
            question = ""
            if verb == "suggest":
                suggestions = FAQ_CHECKLIST[audience]
                if index not in [str(i) for i in range(len(suggestions))]:
                    return "That suggested question does not exist."
                question = suggestions[int(index)]
            entry = {"id": _new_id("f", entries), "question": question, "audience": audience}
            entries.append(entry)
        elif verb == "remove_faq":
            self.content["entries"] = [e for e in self.content.get("entries", []) if e["id"] != arg]
        elif verb in {"up", "down"}:
            entries = self.content.get("entries", [])
            ids = [e["id"] for e in entries]
            if arg in ids:
                i = ids.index(arg)
                j = i - 1 if verb == "up" else i + 1
                if 0 <= j < len(entries):
                    entries[i], entries[j] = entries[j], entries[i]
        return None


def _new_id(prefix: str, rows: list[dict[str, Any]]) -> str:
    numbers = [
        int(row["id"][len(prefix) :])
        for row in rows
        if row.get("id", "").startswith(prefix) and row["id"][len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


class LaunchForm(forms.Form):
    launched_on = forms.DateField(
        label="Launched on", widget=forms.DateInput(attrs={"type": "date"})
    )
    review_on = forms.DateField(
        label="Outcome review on",
        help_text="When to ask: did the promised benefit arrive?",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ReadingForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(
        max_digits=20,
        decimal_places=4,
        error_messages={"invalid": "Enter a number, like 12 or 3.5."},
    )
    note = forms.CharField(max_length=300, required=False)


class OutcomeForm(forms.Form):
    verdict = forms.ChoiceField(
        label="Did the benefit arrive?", choices=OutcomeVerdict.choices, widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the benefit arrived: yes, partly or no.",
            "invalid_choice": "Choose whether the benefit arrived: yes, partly or no.",
        },
    )  # fmt: skip
    evidence = forms.CharField(
        max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Give the evidence: the readings, what customers said.",
            "max_length": "Keep the evidence to 5,000 characters; it has %(show_value)d.",
            "null_characters_not_allowed": "The evidence contains a null character; "
            "remove it (it often comes from pasting out of another program).",
        },
    )  # fmt: skip


class FunnelForm(forms.Form):
    team = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    start = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Created from"
    )
    end = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="to"
    )


# --- Importing an existing PR/FAQ ----------------------------------------------------


def _read_source(text: str) -> importing.Reading:
    """The reading of `text`, or a ValidationError saying why it cannot be imported."""
    if len(text) > importing.MAX_CHARS:
        raise ValidationError(
            f"That is {len(text):,} characters; an import can take at most "
            f"{importing.MAX_CHARS:,}. Split the document, or paste the PR/FAQ part only."
        )
    try:
        return importing.read(text)
    except importing.UnreadableDocument as exc:
        raise ValidationError(str(exc)) from None


class ImportStartForm(forms.Form):
    """A file or pasted text, and the team to import into. After `is_valid()`,
    `source` is the text and `reading` what the importer made of it."""

    file = forms.FileField(
        required=False,
        label="Upload a file",
        help_text=f"Markdown (.md) or plain text (.txt), up to {importing.MAX_BYTES // 1000} KB.",
        widget=forms.FileInput(attrs={"accept": ".md,.markdown,.txt,text/markdown,text/plain"}),
    )
    text = forms.CharField(
        required=False,
        strip=False,
        label="Or paste the text",
        help_text="Headings such as “Customer FAQ” or “Press release” help place each part.",
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": importing.MAX_CHARS}),
    )
    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None)

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        # Its own ids: it shares the new-proposal page with ProposalCreateForm.
        kwargs.setdefault("auto_id", "import_%s")
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["team"].error_messages["invalid_choice"] = "Choose one of your teams."
        self.source = ""
        self.reading: importing.Reading | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        # Refuse by size before reading a byte of it.
        if upload and upload.size > importing.MAX_BYTES:
            raise ValidationError(
                f"That file is {upload.size / 1_000_000:.1f} MB; an import can take files up to "
                f"{importing.MAX_BYTES // 1000} KB. Is it the PR/FAQ itself, saved as text?"
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload, text = cleaned.get("file"), cleaned.get("text", "")
        if "file" in self.errors:
            return cleaned
        if upload and text.strip():
            raise ValidationError("Upload a file or paste text, not both.")
        if not upload and not text.strip():
            raise ValidationError("Choose a file to upload, or paste the text of your PR/FAQ.")
        if upload:
            try:
                text = importing.decode(upload.read(importing.MAX_BYTES + 1))
            except importing.UnreadableDocument as exc:
                raise ValidationError(str(exc)) from None
        self.reading = _read_source(text)
        self.source = text
        return cleaned


class ImportPreview:
    """The preview form: title, team, the source text (carried in a hidden field and
    read again on every POST) and, for each block, where to put it ("put-<index>").

    `source_errors` says why the source cannot be read (then there is nothing to
    preview); otherwise `form` is a Django form over the other fields and
    `choices()` maps block index to target once it is valid.
    """

    def __init__(
        self,
        data: QueryDict | None,
        *,
        teams: Any,
        source: str = "",
        initial: dict[str, Any] | None = None,
    ) -> None:
        self.source = data.get("source", "") if data is not None else source
        self.source_errors: list[str] = []
        self.reading: importing.Reading | None = None
        self.form = forms.Form(data, initial=initial)
        try:
            self.reading = _read_source(self.source)
        except ValidationError as exc:
            self.source_errors = exc.messages
            return
        fields = self.form.fields
        fields["title"] = forms.CharField(
            max_length=document.TITLE_MAX,
            validators=[reject_line_breaks],
            error_messages={"required": "Give the proposal a title."},
        )
        fields["team"] = forms.ModelChoiceField(queryset=teams, empty_label=None)
        fields["team"].error_messages["invalid_choice"] = "Choose one of your teams."
        for block in self.reading.blocks:
            fields[f"put-{block.index}"] = forms.ChoiceField(
                choices=importing.choices_for(block),
                label="Put in",
                initial=block.target,
                error_messages={"invalid_choice": "Choose one of the places listed."},
            )

    def is_valid(self) -> bool:
        return not self.source_errors and self.form.is_valid()

    def value(self, name: str) -> Any:
        """What the page shows in a field: the posted value, or its initial one."""
        return self.form[name].value()

    def choices(self) -> dict[int, str]:
        """Block index -> target: the valid choices posted so far, detected otherwise."""
        assert self.reading is not None
        chosen: dict[int, str] = {}
        for block in self.reading.blocks:
            value = self.form[f"put-{block.index}"].value()
            if value in {key for key, _ in importing.choices_for(block)}:
                chosen[block.index] = value
        return chosen

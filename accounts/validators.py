"""Validators shared by models and forms."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError


def one_line(value: str) -> None:
    """A name that goes into email subjects: a line break (or any control character)
    there makes the mail library refuse the message, so it would never be sent."""
    if any(unicodedata.category(ch) in {"Cc", "Zl", "Zp"} for ch in value):
        raise ValidationError("Keep this to one line, without control characters.")

"""Validators shared by models and forms."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

# Invisible characters that reorder or hide text (bidirectional overrides and isolates):
# in a name they make "Ana" display as someone else's, so no name may hold them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def one_line(value: str) -> None:
    """One-line text that goes into email subjects (titles, team and ring names): a
    line break or control character there makes the mail library refuse the message."""
    if any(unicodedata.category(ch) in {"Cc", "Zl", "Zp"} for ch in value):
        raise ValidationError("Keep this to one line, without control characters.")


def person_name(value: str) -> None:
    """The one rule for people's names, wherever they are typed (sign-up, the admin):
    one line, and no bidirectional override, which can make a name display as
    someone else's. Real names pass: any script, combining marks, the zero-width
    joiner and non-joiner (Persian, Indic scripts, emoji), soft hyphens."""
    one_line(value)
    if any(ch in _BIDI_CONTROLS for ch in value):
        raise ValidationError(
            "Remove the invisible direction-changing character: it can disguise a name."
        )


def email_address(value: str) -> None:
    """An address a mail server will take: no control characters, even quoted ones."""
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValidationError("Enter the address without control characters.")

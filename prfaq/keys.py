"""Public keys for rows whose numeric id would tell a reader how many others exist.

A global counter leaks: the gap between two of a reader's own comments says how many
comments everyone else wrote meanwhile. Rows a page or URL names (comments,
notifications) carry a random key instead, so an id reveals nothing but itself.
"""

from __future__ import annotations

import re
import secrets

KEY_LENGTH = 16  # characters of token_urlsafe(12): 96 random bits
KEY_PATTERN = r"\A[A-Za-z0-9_-]{1,16}\Z"


def new_key() -> str:
    return secrets.token_urlsafe(12)


def is_key(text: str) -> bool:
    """Whether `text` could be a key at all (anything else is answered as missing)."""
    return re.fullmatch(KEY_PATTERN, text) is not None

"""Request typing shared by every app's views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from accounts.models import User


class HtmxHttpRequest(HttpRequest):
    """A request after our middleware: `htmx` from django-htmx, `user` signed in."""

    htmx: HtmxDetails
    user: User

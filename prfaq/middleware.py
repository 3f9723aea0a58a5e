"""Messages reach the page at once when an htmx request swaps only part of it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

from prfaq.errors import StateConflict

# Headers that send the browser elsewhere: the messages wait for the page it loads.
_NAVIGATING = ("HX-Redirect", "HX-Location", "HX-Refresh")


class HtmxMessagesMiddleware:
    """Append an out-of-band swap of the messages area to an htmx response whose page
    did not show the messages queued while answering it (a partial that holds no
    messages area, say), so "A PR/FAQ can have at most 50 metrics" appears when the
    button is pressed, not on the next full page load."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if (
            not htmx
            or htmx.boosted
            or response.streaming
            or any(header in response for header in _NAVIGATING)
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        storage = messages.get_messages(request)
        if getattr(storage, "used", False):  # the response shows them already
            return response
        queued = list(storage)
        if queued:
            response.content += render_to_string(
                "_messages-oob.html", {"messages": queued}, request=request
            ).encode()
        return response


class StateConflictMiddleware:
    """Answer a `StateConflict` no view caught: the user's action no longer applies
    because the state moved (a double click, someone else was quicker).

    The message is shown on the page the user came from (a safe Referer, else the
    dashboard). An htmx request gets 409 with the message as an out-of-band swap and
    nothing else swapped (`HX-Reswap: none`; _base.html lets htmx swap a 409).
    Not a 403: nothing was refused for who the user is, so the audit log stays quiet.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, StateConflict):
            return None
        messages.error(request, str(exception))
        if getattr(request, "htmx", False):
            body = render_to_string(
                "_messages-oob.html", {"messages": messages.get_messages(request)}, request=request
            )
            return HttpResponse(body, status=409, headers={"HX-Reswap": "none"})
        back = request.headers.get("Referer", "")
        safe = url_has_allowed_host_and_scheme(
            back, {request.get_host()}, require_https=request.is_secure()
        )
        return HttpResponseRedirect(back if back and safe else "/")

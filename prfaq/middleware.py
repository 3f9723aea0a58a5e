"""Messages reach the page at once when an htmx request swaps only part of it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

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

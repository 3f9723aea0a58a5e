"""Request typing shared by every app's views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from accounts.models import User


class HtmxHttpRequest(HttpRequest):
    """A request after our middleware: `htmx` from django-htmx, `user` signed in."""

    htmx: HtmxDetails
    user: User


def redirect_back(request: HtmxHttpRequest, fallback: str) -> HttpResponse:
    """Go to the form's `next` if it is a path on this site, else to `fallback`.

    Only a path ("/...") is followed: anything else (a view name to `redirect()`, a
    scheme, another host, "//host") falls back, so no `next` can fail the request or
    lead off the site. An htmx request is told to navigate instead.
    """
    target = request.POST.get("next", "") or request.GET.get("next", "")
    safe = (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False)
    )
    url = target if safe else fallback
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)

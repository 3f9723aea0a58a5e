"""Pages of the proposal domain, plus the dashboard and the health probe."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.queries import teams_for_user
from prfaq import health
from prfaq.http import HtmxHttpRequest


@login_required
@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    teams = list(teams_for_user(request.user))
    return render(request, "prfaq/dashboard.html", {"teams": teams})


@login_required
@require_GET
def proposal_list(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "prfaq/proposal-list.html", {})


@login_required
@require_GET
def funnel(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "prfaq/funnel.html", {})


@never_cache
@require_GET
def healthz(request: HtmxHttpRequest) -> JsonResponse:
    """200 while the database answers; cache and broker are reported, not fatal."""
    state = {
        "database": health.database_state(),
        "cache": health.cache_state(),
        "broker": health.broker_state(),
    }
    ok = state["database"] == "ok"
    return JsonResponse({"status": "ok" if ok else "error", **state}, status=200 if ok else 503)

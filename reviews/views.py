"""Review pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from prfaq.http import HtmxHttpRequest


@login_required
@require_GET
def review_queue(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "reviews/review-queue.html", {})

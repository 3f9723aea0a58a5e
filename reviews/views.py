"""Review pages: access -> form -> service -> render. Secrecy through visibility.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts import access as accounts_access
from prfaq import access as prfaq_access
from prfaq import document
from prfaq import policy as prfaq_policy
from prfaq import services as prfaq_services
from prfaq.http import HtmxHttpRequest
from prfaq.keys import is_key
from prfaq.lifecycle import Status
from reviews import access, policy, queries, services, visibility
from reviews.forms import CommentForm, DecisionForm, RingForm, RoundOpenForm
from reviews.models import Decision, Round


def _message_errors(request: HtmxHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_GET
def review_queue(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    to_read, to_decide, waiting = [], [], []
    for a in queries.my_open_assignments(request.user):
        if not a.has_finished_reading(now):
            to_read.append(a)
        elif not a.decision or a.stale:
            to_decide.append(a)
        else:
            waiting.append(a)
    return render(
        request,
        "reviews/review-queue.html",
        {
            "to_read": to_read,
            "to_decide": to_decide,
            "waiting": waiting,
            "my_rounds": queries.my_rounds_as_owner(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: HtmxHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = prfaq_access.access_proposal_as_owner(request.user, proposal_id)
    ring = services.next_ring(proposal)
    # Searching (GET with q) carries the roles chosen so far, so none is lost.
    given = request.POST if request.method == "POST" else request.GET
    query = given.get("q", "").strip()[:100]
    found = queries.round_candidates(proposal, query=query, chosen=_chosen_ids(given))
    candidates = found.listed + found.found
    if request.method == "GET" and "q" in request.GET:
        initial: dict[str, Any] = {"mode": request.GET.get("mode"), "due": request.GET.get("due")}
        for pk in _chosen_ids(request.GET):
            initial[f"role-{pk}"] = request.GET[f"role-{pk}"]
            initial[f"required-{pk}"] = f"required-{pk}" in request.GET
        form = RoundOpenForm(
            initial={k: v for k, v in initial.items() if v is not None}, candidates=candidates
        )
        if request.htmx:  # the search box: only the rows found, for the table's second body
            return render(
                request, "reviews/round-new.html#found-rows",
                {"form": form, "found_ids": {u.pk for u in found.found}, "query": query},
            )  # fmt: skip
    else:
        form = RoundOpenForm(request.POST or None, candidates=candidates)
    blocked = prfaq_policy.submission_blockers(proposal.current_revision.findings)
    if request.method == "POST" and form.is_valid():
        due = dt.datetime.combine(
            form.cleaned_data["due"], dt.time(17, 0), tzinfo=timezone.get_current_timezone()
        )
        try:
            round_ = services.round_open(
                proposal_id=proposal.pk, actor=request.user, mode=form.cleaned_data["mode"],
                due=due, reviewers=form.choices(),
            )  # fmt: skip
        except prfaq_services.SubmissionBlocked as exc:
            messages.error(request, exc.messages[0])
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"The {round_.ring.name} round is open. Reviewers were told.")
            return redirect(round_)
    return render(
        request,
        "reviews/round-new.html",
        {"proposal": proposal, "ring": ring, "form": form, "blocked": blocked,
         "team_ids": {u.pk for u in candidates if getattr(u, "in_team", 0)},
         "found_ids": {u.pk for u in found.found}, "searchable": found.searchable,
         "query": query},
    )  # fmt: skip


def _chosen_ids(data: Any) -> list[int]:
    """The people given a role in the submitted form (role-<id> with a value)."""
    ids = []
    for key, value in data.items():
        number = key.removeprefix("role-")
        if key.startswith("role-") and value and number.isascii() and number.isdigit():
            ids.append(int(number))
    return [i for i in ids if i < 2**62]


def _threads(comments: list[Any]) -> list[dict[str, Any]]:
    replies: dict[int, list[Any]] = defaultdict(list)
    roots = []
    for c in comments:
        if c.parent_id:
            replies[c.parent_id].append(c)
        else:
            roots.append(c)
    return [{"comment": c, "replies": replies.get(c.pk, [])} for c in roots]


def _round_context(request: HtmxHttpRequest, proposal, round_: Round, assignment) -> dict[str, Any]:
    seen = visibility.sight(proposal, request.user)
    comment_list = list(visibility.comments(proposal, request.user, seen))
    threads = _threads(comment_list)
    by_section: dict[str, int] = defaultdict(int)
    for t in threads:
        by_section[t["comment"].section] += 1
    revision = round_.revision
    content = document.normalized(revision.content)
    entries = content["faq"]["entries"]
    # An owner still reading (from before owners were kept out of rounds) reads first.
    is_owner = proposal.owner_id == request.user.pk and not seen.reading
    started = assignment is not None and assignment.reading_started is not None
    return {
        "proposal": proposal,
        "round": round_,
        "assignment": assignment,
        "is_owner": is_owner,
        "seen": seen,
        "must_start": assignment is not None and not started and round_.is_open,
        "threads": threads,
        "section_counts": dict(by_section),
        "assignments": visibility.assignments(round_, request.user, seen),
        "events": list(visibility.events(proposal, request.user, seen)[:30]),
        "doc": content,
        "html": revision.rendered,
        "revision": revision,
        "external_faq": [e for e in entries if e["audience"] == "external"],
        "internal_faq": [e for e in entries if e["audience"] == "internal"],
        "metrics": [m for m in content["benefit"]["metrics"] if m["name"].strip()],
        "sections": _section_choices(content),
        "comment_form": CommentForm(),
        "decision_form": DecisionForm(
            initial={"decision": assignment.decision} if assignment else None
        ),
        "decisions": policy.decisions_open_to(assignment, round_.ring) if assignment else [],
        "can_comment": round_.is_open and (is_owner or assignment is not None),
        "can_decide": assignment is not None
        and round_.is_open
        and assignment.has_finished_reading(seen.now),
        "newer_revision": round_.is_open
        and is_owner
        and proposal.current_revision_id != revision.pk,
        "next_ring": services.next_ring(proposal) if not round_.is_open and is_owner else None,
        "proposal_open": proposal.status == Status.IN_REVIEW,
        "now": seen.now,
    }


def _section_choices(content: dict[str, Any]) -> list[tuple[str, str]]:
    choices = [("general", "The whole document")]
    for step in document.STEPS:
        for f in step.fields:
            choices.append((f"{step.key}.{f.key}", f"{step.title}: {f.label}"))
    for e in content["faq"]["entries"]:
        choices.append((f"faq.{e['id']}.answer", f"FAQ: {e['question'][:60]}"))
    choices.append(("benefit.metrics", "Success metrics"))
    return choices


@login_required
@require_GET
def round_detail(request: HtmxHttpRequest, proposal_id: int, number: int) -> HttpResponse:
    proposal, round_, assignment = access.access_round(request.user, proposal_id, number)
    context = _round_context(request, proposal, round_, assignment)
    template = "reviews/round-detail.html"
    if request.htmx and request.GET.get("part") == "comments":
        template += "#comments"
    return render(request, template, context)


def _back(request: HtmxHttpRequest, round_: Round, anchor: str = "") -> HttpResponse:
    url = round_.get_absolute_url() + anchor
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_POST
def reading_start(request: HtmxHttpRequest, proposal_id: int, number: int) -> HttpResponse:
    _, round_, _ = access.access_round_as_reviewer(request.user, proposal_id, number)
    services.reading_start(round_id=round_.pk, user=request.user)
    return _back(request, round_)


@login_required
@require_POST
def reading_done(request: HtmxHttpRequest, proposal_id: int, number: int) -> HttpResponse:
    _, round_, _ = access.access_round_as_reviewer(request.user, proposal_id, number)
    try:
        services.reading_done(round_id=round_.pk, user=request.user)
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, "Your comments are published. Here is what everyone else wrote.")
    return _back(request, round_, "#comments")


@login_required
@require_POST
def comment_create(request: HtmxHttpRequest, proposal_id: int, number: int) -> HttpResponse:
    proposal, round_, assignment = access.access_round(request.user, proposal_id, number)
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.comment_create(
                round_id=round_.pk, author=request.user, section=data["section"] or "general",
                body=data["body"], quote=data["quote"], prefix=data["prefix"],
                suffix=data["suffix"],
                blocking=data["blocking"], parent_key=data["parent"] or None,
            )  # fmt: skip
        except ValidationError as exc:
            _message_errors(request, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            draft = assignment is not None and not assignment.has_finished_reading()
            messages.success(
                request,
                "Draft saved: only you can see it until you finish reading."
                if draft
                else "Comment posted.",
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    if request.htmx:
        context = _round_context(request, proposal, round_, assignment)
        return render(request, "reviews/round-detail.html#comments", context)
    return redirect(round_.get_absolute_url() + "#comments")


@login_required
@require_POST
def comment_resolve(
    request: HtmxHttpRequest, proposal_id: int, number: int, comment_key: str
) -> HttpResponse:
    proposal, round_, _ = access.access_round(request.user, proposal_id, number)
    comment = access.access_comment(request.user, proposal, comment_key)
    try:
        services.comment_resolve(
            comment_id=comment.pk, user=request.user, resolve=request.POST.get("resolve") != "0"
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect(round_.get_absolute_url() + f"#c-{comment.key}")


@login_required
@require_POST
def decision_record(request: HtmxHttpRequest, proposal_id: int, number: int) -> HttpResponse:
    _, round_, _ = access.access_round_as_reviewer(request.user, proposal_id, number)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back(request, round_, "#decide")
    try:
        services.decision_record(
            round_id=round_.pk, reviewer=request.user, decision=form.cleaned_data["decision"],
            rationale=form.cleaned_data["rationale"],
        )  # fmt: skip
    except ValidationError as exc:
        _message_errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Recorded: {Decision(form.cleaned_data['decision']).label}.")
    return _back(request, round_, "#decide")


@login_required
@require_POST
def round_action(
    request: HtmxHttpRequest, proposal_id: int, number: int, action: str
) -> HttpResponse:
    """The owner's controls: close, put the newest revision up, start or end reading."""
    _, round_ = access.access_round_as_owner(request.user, proposal_id, number)
    handlers = {
        "close": lambda: services.round_close(round_id=round_.pk, actor=request.user),
        "revise": lambda: services.round_put_up_newest(round_id=round_.pk, actor=request.user),
        "meeting-start": lambda: services.meeting_start(round_id=round_.pk, actor=request.user),
        "meeting-end": lambda: services.meeting_end(round_id=round_.pk, actor=request.user),
    }
    if action not in handlers:
        return HttpResponse(status=404)
    try:
        handlers[action]()
    except prfaq_services.SubmissionBlocked as exc:
        messages.error(request, exc.messages[0])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return _back(request, round_)


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "POST":
        key = request.POST.get("id", "")
        if key and not is_key(key):
            key = "-"  # no notification has this key: nothing is marked
        prfaq_services.notifications_mark_read(user=request.user, notification_key=key or None)
        return redirect("notifications")
    return render(request, "reviews/notifications.html", {"items": queries.inbox(request.user)})


@login_required
@require_POST
def ring_update(request: HtmxHttpRequest, slug: str, ring_id: int) -> HttpResponse:
    team = accounts_access.access_team_as_lead(request.user, slug)
    ring = access.access_ring(team, ring_id)
    form = RingForm(request.POST, instance=ring, prefix=request.POST.get("prefix") or None)
    if form.is_valid():
        services.ring_update(ring_id=ring.pk, **{k: form.cleaned_data[k] for k in form.Meta.fields})
        messages.success(request, f"Saved the {form.cleaned_data['name']} ring.")
    else:
        for field, errors in form.errors.items():
            label = field.replace("_", " ").capitalize()
            messages.error(request, f"{label}: {' '.join(map(str, errors))}")
    return redirect(reverse("team-detail", args=[team.slug]) + "#rings")

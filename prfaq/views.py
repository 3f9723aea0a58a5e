"""Pages of the proposal domain, plus the dashboard and the health probe."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import Team
from accounts.queries import teams_for_user
from prfaq import (
    access,
    document,
    findings,
    funnel,
    health,
    importing,
    lifecycle,
    metrics,
    policy,
    queries,
    rendering,
    search,
    services,
)
from prfaq.diff import document_diff
from prfaq.export import to_markdown
from prfaq.forms import (
    AcknowledgeForm,
    DiffForm,
    FunnelForm,
    ImportPreview,
    ImportStartForm,
    LaunchForm,
    OutcomeForm,
    OwnerForm,
    ProposalCreateForm,
    ProposalFilterForm,
    ReadingForm,
    StepEditor,
    WithdrawForm,
)
from prfaq.guidance import FAQ_CHECKLIST, GUIDANCE
from prfaq.http import HtmxHttpRequest, redirect_back
from prfaq.models import OutcomeVerdict, Proposal, Revision

PAGE_SIZE = 25


@login_required
@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    from reviews import queries as review_queries

    teams = list(teams_for_user(request.user))
    proposals = queries.proposals_owned(request.user)
    now = timezone.now()
    assignments = review_queries.my_open_assignments(request.user)
    return render(
        request,
        "prfaq/dashboard.html",
        {
            "teams": teams,
            "proposals": proposals,
            "to_read": [a for a in assignments if not a.has_finished_reading(now)],
            "to_decide": [
                a
                for a in assignments
                if a.has_finished_reading(now) and (not a.decision or a.stale)
            ],
            "my_rounds": review_queries.my_rounds_as_owner(request.user),
        },
    )


@login_required
@require_GET
def proposal_list(request: HtmxHttpRequest) -> HttpResponse:
    form = ProposalFilterForm(request.GET)
    form.is_valid()  # a filter that does not parse is left out; the page says why
    filters = form.cleaned_data
    proposals = queries.proposal_list(
        request.user,
        team_slug=filters.get("team", ""),
        status=filters.get("status", ""),
        mine=filters.get("mine", False),
    )
    q = filters.get("q", "")
    if q:
        proposals = search.search(proposals, q)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    if q:
        for p in page.object_list:
            p.snippet_html = search.snippet(p, q)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "form": form,
        "teams": list(Team.objects.filter(memberships__user=request.user).order_by("name")),
        "statuses": lifecycle.Status.choices,
        "filters": filters,
        "query": query.urlencode(),
    }
    template = "prfaq/proposal-list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HtmxHttpRequest) -> HttpResponse:
    teams = Team.objects.filter(memberships__user=request.user).order_by("name")
    form = ProposalCreateForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        proposal = services.proposal_create(
            team=form.cleaned_data["team"], owner=request.user, title=form.cleaned_data["title"]
        )
        messages.success(request, "Proposal started. Begin with the customer.")
        url = reverse("proposal-step", args=[proposal.pk, "customer"])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return render(
        request,
        "prfaq/proposal-new.html",
        {"form": form, "has_teams": teams.exists(), "import_form": ImportStartForm(teams=teams)},
    )


# --- Importing an existing PR/FAQ ------------------------------------------------------

# A block longer than this shows an excerpt and opens to its whole text.
LONG_BLOCK_CHARS = 600
LONG_BLOCK_LINES = 10


@login_required
@require_http_methods(["GET", "POST"])
def proposal_import(request: HtmxHttpRequest) -> HttpResponse:
    """Bring in a PR/FAQ written elsewhere: upload or paste, preview, create.

    The first POST (a file or pasted text) shows the preview; nothing is saved until
    "Create proposal". The preview carries the source text in a hidden field and reads
    it again on every POST, so the server keeps no state between the steps.
    """
    teams = Team.objects.filter(memberships__user=request.user).order_by("name")
    if request.method == "GET" or "source" not in request.POST:
        start = ImportStartForm(request.POST or None, request.FILES or None, teams=teams)
        if request.method == "GET" or not start.is_valid():
            return _import_page(request, {"start": start, "has_teams": teams.exists()})
        assert start.reading is not None
        title = start.reading.title or _title_from_file(start.cleaned_data["file"])
        preview = ImportPreview(
            None,
            teams=teams,
            source=start.source,
            initial={"title": title, "team": start.cleaned_data["team"].pk},
        )
        return _import_page(request, _preview_context(preview, errors=[]))

    preview = ImportPreview(request.POST, teams=teams)
    if preview.source_errors:
        start = ImportStartForm(initial={"team": request.POST.get("team")}, teams=teams)
        context = {
            "start": start,
            "has_teams": teams.exists(),
            "start_errors": preview.source_errors,
        }
        return _import_page(request, context)
    assert preview.reading is not None
    assembled = importing.assemble(preview.reading, preview.choices())
    errors = list(assembled.errors)
    valid = preview.is_valid()  # binds the fields, so their errors show on the page
    if request.POST.get("action") == "create" and valid and not errors:
        data = preview.form.cleaned_data
        try:
            proposal = services.proposal_import(
                team=data["team"],
                owner=request.user,
                title=data["title"],
                content=assembled.content,
                unplaced=assembled.unplaced,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _imported_message(assembled))
            url = proposal.get_absolute_url()
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return _import_page(request, _preview_context(preview, errors=errors, assembled=assembled))


def _import_page(request: HtmxHttpRequest, context: dict[str, Any]) -> HttpResponse:
    template = "prfaq/proposal-import.html"
    if request.htmx and not request.htmx.boosted:
        template += "#import"
    return render(request, template, context)


def _title_from_file(upload: Any) -> str:
    """A title from an uploaded file's name ("launch-plan.md" -> "launch plan"), if usable."""
    if upload is None:
        return ""
    stem = upload.name.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("-", " ").replace("_", " ")
    stem = " ".join(stem.split())[: document.TITLE_MAX]
    return stem if stem.isprintable() else ""


def _preview_context(
    preview: ImportPreview,
    *,
    errors: list[str],
    assembled: importing.Assembled | None = None,
) -> dict[str, Any]:
    assert preview.reading is not None
    reading = preview.reading
    if assembled is None:
        assembled = importing.assemble(reading, preview.choices())
    form = preview.form
    blocks = []
    for block in reading.blocks:
        name = f"put-{block.index}"
        source = block.source
        long = len(source) > LONG_BLOCK_CHARS or source.count("\n") >= LONG_BLOCK_LINES
        blocks.append(
            {
                "block": block,
                "name": name,
                "choices": importing.choices_for(block),
                "chosen": form[name].value(),
                "detected_label": importing.TARGET_LABELS.get(block.target, block.target),
                "errors": form[name].errors,
                "long": long,
                "excerpt": "\n".join(source[:LONG_BLOCK_CHARS].splitlines()[:LONG_BLOCK_LINES])
                if long
                else "",
            }
        )
    return {
        "preview": preview,
        "form": form,
        "reading": reading,
        "blocks": blocks,
        "errors": errors,
        "summary": _import_summary(assembled),
        "assembled": assembled,
    }


def _import_summary(assembled: importing.Assembled) -> dict[str, Any]:
    """What the proposal will hold: each step's fields filled or not, and the counts."""
    content = document.normalized(assembled.content)
    steps = []
    for step in document.STEPS:
        fields = [
            {"label": f.label, "filled": bool(content[step.key][f.key].strip())}
            for f in step.fields
        ]
        steps.append({"step": step, "fields": fields, "missing": step.title in assembled.missing})
    entries = content["faq"]["entries"]
    return {
        "steps": steps,
        "faq_external": sum(e["audience"] == "external" for e in entries),
        "faq_internal": sum(e["audience"] == "internal" for e in entries),
        "metrics": len(content["benefit"]["metrics"]),
        "unplaced": len(assembled.unplaced),
    }


def _imported_message(assembled: importing.Assembled) -> str:
    if not assembled.missing:
        return "Imported. Every step has text; read it through before you submit."
    return "Imported. Still to write: " + ", ".join(assembled.missing) + "."


@login_required
@require_POST
def proposal_unplaced_clear(request: HtmxHttpRequest, proposal_id: int) -> HttpResponse:
    """Drop the import's Unplaced text note: for anyone who may edit the proposal."""
    proposal = access.access_proposal_for_editing(request.user, proposal_id)
    services.proposal_unplaced_clear(proposal=proposal, user=request.user)
    messages.success(request, "The unplaced text from the import was cleared.")
    return redirect_back(request, proposal.get_absolute_url())


def _memo_context(proposal: Proposal, revision: Revision, request: HtmxHttpRequest) -> dict:
    content = document.normalized(revision.content)
    entries = content["faq"]["entries"]
    acknowledged = queries.acknowledgements(proposal)
    items = findings.present(revision.findings, revision.content, acknowledged)
    return {
        "findings": items,
        "finding_counts": findings.open_counts(items),
        "finding_steps": findings.per_step(items),
        "kept": [i for i in items if i["acknowledged"]],
        "proposal": proposal,
        "revision": revision,
        "is_newest": revision.pk == proposal.current_revision_id,
        "doc": content,
        "html": revision.rendered,
        "external_faq": [e for e in entries if e["audience"] == "external"],
        "internal_faq": [e for e in entries if e["audience"] == "internal"],
        "metrics": [m for m in content["benefit"]["metrics"] if m["name"].strip()],
        "completeness": document.completeness(content),
        "steps": document.STEPS,
    }


@login_required
@require_GET
def proposal_memo(request: HtmxHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.access_proposal(request.user, proposal_id)
    context = _memo_context(proposal, proposal.current_revision, request)
    context["actions"] = lifecycle.available_actions(proposal, request.user)
    context["can_change_owner"] = (
        proposal.owner_id == request.user.pk or proposal.viewer_role == "lead"
    )
    if context["can_change_owner"]:
        context["owner_form"] = OwnerForm(
            initial={"owner": proposal.owner_id}, members=queries.team_members(proposal.team)
        )
    context["withdraw_form"] = WithdrawForm()
    context["can_submit"] = any(a.action == "submit" for a in context["actions"])
    from reviews import queries as review_queries
    from reviews import services as review_services
    from reviews import visibility

    seen = visibility.sight(proposal, request.user)
    rounds = review_queries.proposal_rounds(proposal)
    next_ring = review_services.next_ring(proposal)
    context.update(
        seen=seen,
        rounds=rounds,
        events=list(visibility.events(proposal, request.user, seen)[:30]),
        next_ring=next_ring,
        amending=review_services.is_amendment(proposal),
        can_open_round=(
            proposal.owner_id == request.user.pk
            and (
                proposal.status == lifecycle.Status.IN_REVIEW
                or (
                    review_services.is_amendment(proposal)
                    and queries.draft_differs_from_contract(proposal)
                )
            )
            and next_ring is not None
            and all(r.status == "closed" for r in rounds)
        ),
    )
    context["can_edit"] = proposal.viewer_role is not None and proposal.status in lifecycle.EDITABLE
    return render(request, "prfaq/proposal-memo.html", context)


@login_required
@require_GET
def revision_detail(request: HtmxHttpRequest, proposal_id: int, number: int) -> HttpResponse:
    proposal = access.access_proposal(request.user, proposal_id)
    revision = access.access_revision(proposal, number)
    context = _memo_context(proposal, revision, request)
    context["can_edit"] = False
    return render(request, "prfaq/proposal-memo.html", context)


@login_required
@require_GET
def revision_export(request: HtmxHttpRequest, proposal_id: int, number: int) -> HttpResponse:
    proposal = access.access_proposal(request.user, proposal_id)
    revision = access.access_revision(proposal, number)
    response = HttpResponse(
        to_markdown(proposal.title, revision.content), content_type="text/markdown; charset=utf-8"
    )
    filename = f"{slugify(proposal.title)[:60] or 'proposal'}-r{revision.number}.md"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The guided steps ----------------------------------------------------------------


def _step_or_404(slug: str) -> document.Step:
    step = document.STEPS_BY_SLUG.get(slug)
    if step is None:
        raise Http404("No such step.")
    return step


def _rows_for_template(editor: StepEditor | None, content: dict[str, Any], step: document.Step):
    """Metric and FAQ rows with their values and errors, from a POST or the saved text."""
    forms_by_id = {}
    if editor is not None:
        forms_by_id = dict(editor.metric_forms) | dict(editor.faq_forms)
    key = "metrics" if step.has_metrics else "entries" if step.has_faq else None
    rows = []
    if key:
        for row in content.get(key, []):
            form = forms_by_id.get(row["id"])
            rows.append({"id": row["id"], "values": row, "errors": form.errors if form else {}})
    return rows


def _step_context(
    request: HtmxHttpRequest,
    proposal: Proposal,
    step: document.Step,
    *,
    content: dict[str, Any],
    step_hash: str,
    editor: StepEditor | None = None,
    conflict: dict[str, Any] | None = None,
) -> dict[str, Any]:
    revision = proposal.current_revision
    saved = document.normalized(revision.content)
    index = document.STEPS.index(step)
    acknowledged = queries.acknowledgements(proposal)
    all_findings = findings.present(revision.findings, revision.content, acknowledged)
    step_findings = [f for f in all_findings if f["step"] == step.key]
    field_errors = editor.fields.errors if editor else {}
    fields = [
        {
            "spec": f,
            "value": content.get(f.key, ""),
            "errors": field_errors.get(f.key, []),
            "html": revision.rendered.get(f"{step.key}.{f.key}", "") if f.markdown else "",
        }
        for f in step.fields
    ]
    return {
        "proposal": proposal,
        "step": step,
        "steps": document.STEPS,
        "previous": document.STEPS[index - 1] if index > 0 else None,
        "next": document.STEPS[index + 1] if index + 1 < len(document.STEPS) else None,
        "completeness": document.completeness(saved),
        "guidance": GUIDANCE[step.key],
        "fields": fields,
        "rows": _rows_for_template(editor, content, step),
        "faq_checklist": _checklist(content) if step.has_faq else None,
        "metric_kinds": document.METRIC_KINDS,
        "audiences": document.AUDIENCES,
        "earlier": saved,
        "html": revision.rendered,
        "step_hash": step_hash,
        "revision": revision,
        "editor_errors": editor.errors if editor else [],
        "error_count": editor.error_count() if editor else 0,
        "conflict": conflict,
        "can_edit": proposal.viewer_role is not None and proposal.status in lifecycle.EDITABLE,
        "read_only_reason": _read_only_reason(proposal),
        "limits": {
            "faq": document.MAX_FAQ_ENTRIES,
            "metrics": document.MAX_METRICS,
            "metric_name": document.METRIC_NAME_MAX,
            "metric_value": document.METRIC_VALUE_MAX,
        },
        "error_slots": _error_slots(editor, step) if editor else [],
        "findings": findings.by_slot(step_findings),
        "finding_slots": _finding_slots(step, content),
        "step_counts": findings.per_step(all_findings),
        "counts": findings.open_counts(all_findings),
    }


def _finding_slots(step: document.Step, content: dict[str, Any]) -> list[str]:
    """Every findings container on a step page, so an autosave can refresh them all."""
    slots = ["step", *(f.key for f in step.fields)]
    slots += [f"metric-{m['id']}" for m in content.get("metrics", [])]
    for entry in content.get("entries", []):
        slots += [f"faq-{entry['id']}-question", f"faq-{entry['id']}-answer"]
    return slots


def _read_only_reason(proposal: Proposal) -> str:
    if proposal.viewer_role is None:
        return "You can read this proposal as staff; only members of its team can change it."
    if proposal.status not in lifecycle.EDITABLE:
        return f"This proposal is {proposal.get_status_display().lower()}; it can no longer change."
    return ""


def _error_slots(editor: StepEditor, step: document.Step) -> list[tuple[str, list[str]]]:
    """Every error container on the page with its messages (empty clears it)."""

    def errors(form: Any, key: str) -> list[str]:
        return [str(e) for e in form.errors.get(key, [])]

    slots = [(f.key, errors(editor.fields, f.key)) for f in step.fields]
    for row_id, metric in editor.metric_forms:
        slots += [(f"metric-{row_id}-{k}", errors(metric, k)) for k in document.METRIC_FIELDS]
    for row_id, faq in editor.faq_forms:
        slots += [(f"faq-{row_id}-{k}", errors(faq, k)) for k in ("question", "answer")]
    return slots


def _checklist(content: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    asked = {e.get("question", "").strip().lower() for e in content.get("entries", [])}
    return {
        audience: [
            {"index": i, "question": q, "asked": q.strip().lower() in asked}
            for i, q in enumerate(FAQ_CHECKLIST[audience])
        ]
        for audience in ("external", "internal")
    }


@login_required
@require_http_methods(["GET", "POST"])
def proposal_step(request: HtmxHttpRequest, proposal_id: int, step_slug: str) -> HttpResponse:
    step = _step_or_404(step_slug)
    if request.method == "GET":
        proposal = access.access_proposal(request.user, proposal_id)
        content = document.normalized(proposal.current_revision.content)[step.key]
        context = _step_context(
            request,
            proposal,
            step,
            content=content,
            step_hash=document.step_hash(proposal.current_revision.content, step.key),
        )
        return render(request, "prfaq/proposal-step.html", context)
    return _save_step(request, proposal_id, step)


def _save_step(request: HtmxHttpRequest, proposal_id: int, step: document.Step) -> HttpResponse:
    """POST of a step: validate, apply a structural action, save, answer by request kind.

    Autosave (htmx, `autosave=1`) gets a status fragment so the text being typed is not
    replaced; structural actions (add a row, reorder) get the re-rendered editor; a plain
    form post is redirected. A stale base gets the conflict view in every case.
    """
    proposal = access.access_proposal_for_editing(request.user, proposal_id)
    editor = StepEditor(step, request.POST)
    action = request.POST.get("action", "save")
    autosave = request.POST.get("autosave") == "1"
    base_hash = request.POST.get("step_hash", "")

    if not editor.is_valid():
        content = _submitted_content(editor, step)
        context = _step_context(
            request, proposal, step, content=content, step_hash=base_hash, editor=editor
        )
        if autosave:
            return render(request, "prfaq/proposal-step.html#autosave-errors", context)
        template = "prfaq/proposal-step.html#editor" if request.htmx else "prfaq/proposal-step.html"
        return render(request, template, context)

    problem = editor.apply(action) if action not in {"save", "prev", "next"} else None
    if problem:
        messages.error(request, problem)
    result = services.proposal_save_step(
        proposal_id=proposal.pk,
        user=request.user,
        step_key=step.key,
        base_step_hash=base_hash,
        content=editor.content,
    )
    proposal.current_revision = result.revision
    if result.conflict is not None:
        context = _step_context(
            request,
            proposal,
            step,
            content=document.normalized({step.key: editor.content})[step.key],
            step_hash=document.step_hash(result.revision.content, step.key),
            conflict={
                "theirs": result.conflict,
                "author": result.revision.author,
                "time": result.revision.updated,
                "rows": _conflict_rows(step, result.conflict),
            },
        )
        if request.htmx:
            response = render(request, "prfaq/proposal-step.html#editor", context)
            response["HX-Retarget"] = "#editor"
            response["HX-Reswap"] = "outerHTML"
            response["HX-Trigger"] = json.dumps({"prfaqConflict": {}})
            return response
        return render(request, "prfaq/proposal-step.html", context, status=409)

    new_hash = document.step_hash(result.revision.content, step.key)
    if autosave:
        content = document.normalized(result.revision.content)[step.key]
        context = _step_context(request, proposal, step, content=content, step_hash=new_hash)
        context["saved_at"] = timezone.localtime(result.revision.updated)
        response = render(request, "prfaq/proposal-step.html#autosave-ok", context)
        response["HX-Trigger"] = json.dumps({"prfaqSaved": {"hash": new_hash}})
        return response
    if request.htmx and action not in {"save", "prev", "next"}:
        content = document.normalized(result.revision.content)[step.key]
        context = _step_context(request, proposal, step, content=content, step_hash=new_hash)
        response = render(request, "prfaq/proposal-step.html#editor", context)
        response["HX-Trigger"] = json.dumps({"prfaqSaved": {"hash": new_hash}})
        return response

    if action in {"prev", "next"}:
        index = document.STEPS.index(step) + (1 if action == "next" else -1)
        if 0 <= index < len(document.STEPS):
            target = reverse("proposal-step", args=[proposal.pk, document.STEPS[index].slug])
        else:
            target = proposal.get_absolute_url()
    else:
        if result.saved:
            messages.success(
                request, f"Saved {step.title.lower()} (revision {result.revision.number})."
            )
        target = reverse("proposal-step", args=[proposal.pk, step.slug])
        if action not in {"save"}:
            target += "#editor"
    return HttpResponseClientRedirect(target) if request.htmx else redirect(target)


def _submitted_content(editor: StepEditor, step: document.Step) -> dict[str, Any]:
    """What the author typed, even where it failed validation, to show it back."""
    content: dict[str, Any] = {
        f.key: editor.fields.data.get(f.key, "")[: f.max_length * 2] for f in step.fields
    }
    if step.has_metrics:
        content["metrics"] = [
            {
                "id": row_id,
                **{k: form.data.get(f"{form.prefix}-{k}", "") for k in document.METRIC_FIELDS},
            }
            for row_id, form in editor.metric_forms
        ]
    if step.has_faq:
        content["entries"] = [
            {
                "id": row_id,
                **{
                    k: form.data.get(f"{form.prefix}-{k}", "")
                    for k in ("question", "answer", "audience")
                },
            }
            for row_id, form in editor.faq_forms
        ]
    return content


def _conflict_rows(step: document.Step, theirs: dict[str, Any]) -> list[dict[str, str]]:
    rows = [{"label": f.label, "text": theirs.get(f.key, "")} for f in step.fields]
    for m in theirs.get("metrics", []):
        rows.append(
            {
                "label": f"Metric: {m['name'] or '(unnamed)'}",
                "text": f"{m['kind']} · {m['baseline'] or '?'} → {m['target'] or '?'} "
                f"{m['unit']} by {m['due'] or '?'}",
            }
        )
    for e in theirs.get("entries", []):
        rows.append({"label": f"{e['audience'].title()} Q: {e['question']}", "text": e["answer"]})
    return rows


@login_required
@require_POST
def markdown_preview(request: HtmxHttpRequest, proposal_id: int) -> HttpResponse:
    """Render what the author is typing, for the preview pane. Computes, stores nothing."""
    access.access_proposal_for_editing(request.user, proposal_id)
    # The button names the input it previews ("summary", "faq-f3-answer").
    text = request.POST.get(request.POST.get("field", "text"), "")[: document.LONG_MAX]
    return render(
        request, "prfaq/markdown-preview.html", {"html": rendering.render(text), "text": text}
    )


@login_required
@require_POST
def finding_acknowledge(request: HtmxHttpRequest, proposal_id: int) -> HttpResponse:
    """Keep a writing-check warning with a reason that reviewers will see."""
    proposal = access.access_proposal_for_editing(request.user, proposal_id)
    key = request.POST.get("key", "")[:32]
    form = AcknowledgeForm(
        {"reason": request.POST.get(f"reason-{key}", request.POST.get("reason", ""))}
    )
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["reason"]))
        services.acknowledgement_create(
            proposal_id=proposal.pk, user=request.user, key=key, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Warning kept. Reviewers will see your reason.")
    return redirect_back(request, proposal.get_absolute_url())


@login_required
@require_POST
def proposal_submit(request: HtmxHttpRequest, proposal_id: int) -> HttpResponse:
    """Submitting means choosing the first ring's reviewers; refuse early on check errors."""
    proposal = access.access_proposal_as_owner(request.user, proposal_id)
    if not any(a.action == "submit" for a in lifecycle.available_actions(proposal, request.user)):
        messages.error(
            request,
            f"This proposal is {proposal.get_status_display().lower()}: "
            "it cannot be submitted now.",
        )
        return redirect(proposal)
    errors = policy.submission_blockers(proposal.current_revision.findings)
    if errors:
        count = len(errors)
        messages.error(
            request,
            f"{count} writing-check error{'s' if count != 1 else ''} must be fixed before review. "
            "They are listed under Writing checks.",
        )
        return redirect(proposal)
    return redirect("round-new", proposal.pk)


# --- History, diff, restore ----------------------------------------------------------


@login_required
@require_GET
def proposal_history(request: HtmxHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.access_proposal(request.user, proposal_id)
    revisions = queries.revision_history(proposal)
    step_titles = {s.key: s.title for s in document.STEPS}
    for revision in revisions:
        revision.step_titles = [step_titles.get(k, k) for k in revision.steps_touched]  # type: ignore[attr-defined]
    return render(
        request,
        "prfaq/proposal-history.html",
        {
            "proposal": proposal,
            "revisions": revisions,
            "events": _visible_events(proposal, request.user),
            "can_edit": proposal.viewer_role is not None and proposal.status in lifecycle.EDITABLE,
        },
    )


def _visible_events(proposal: Proposal, user: Any) -> list:
    """The timeline through silent-read secrecy: a reader sees no one's verdicts."""
    from reviews import visibility

    return list(visibility.events(proposal, user, visibility.sight(proposal, user))[:50])


@login_required
@require_GET
def proposal_diff(request: HtmxHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.access_proposal(request.user, proposal_id)
    form = DiffForm(request.GET)
    if not form.is_valid():
        raise Http404("Choose two revisions to compare.")
    a = access.access_revision(proposal, form.cleaned_data["a"])
    b = access.access_revision(proposal, form.cleaned_data["b"])
    diffs = document_diff(a.content, b.content)
    only_changes = request.GET.get("all") != "1"
    return render(
        request,
        "prfaq/proposal-diff.html",
        {
            "proposal": proposal,
            "a": a,
            "b": b,
            "diffs": [d for d in diffs if d.changed] if only_changes else diffs,
            "changed_count": sum(d.changed for d in diffs),
            "only_changes": only_changes,
        },
    )


@login_required
@require_POST
def revision_restore(request: HtmxHttpRequest, proposal_id: int, number: int) -> HttpResponse:
    proposal = access.access_proposal_for_editing(request.user, proposal_id)
    revision = access.access_revision(proposal, number)
    try:
        new = services.proposal_restore(
            proposal_id=proposal.pk, user=request.user, number=revision.number
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Revision {number} was restored as revision {new.number}. Nothing was lost."
        )
    url = reverse("proposal-history", args=[proposal.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# --- Ownership and lifecycle ---------------------------------------------------------


@login_required
@require_POST
def proposal_owner(request: HtmxHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.access_proposal_as_owner_or_lead(request.user, proposal_id)
    form = OwnerForm(request.POST, members=queries.team_members(proposal.team))
    if form.is_valid():
        try:
            services.proposal_change_owner(
                proposal_id=proposal.pk, actor=request.user, new_owner=form.cleaned_data["owner"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{form.cleaned_data['owner']} now owns this proposal.")
    else:
        messages.error(request, " ".join(map(str, form.errors.get("owner", ["Choose a member."]))))
    return redirect(proposal)


@login_required
@require_POST
def proposal_withdraw(request: HtmxHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.access_proposal_as_owner(request.user, proposal_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(map(str, form.errors["note"])))
        return redirect(proposal)
    note = form.cleaned_data["note"]
    try:
        services.proposal_withdraw(proposal_id=proposal.pk, actor=request.user, note=note)
    except lifecycle.TransitionNotAllowed as exc:  # killed or withdrawn a moment ago
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "The proposal was withdrawn. It stays in the funnel as withdrawn."
        )
    return redirect(proposal)


@login_required
@require_GET
def funnel_view(request: HtmxHttpRequest) -> HttpResponse:
    form = FunnelForm(request.GET)
    form.is_valid()  # each valid filter applies; an invalid one says why beside its field
    filters = form.cleaned_data
    teams = list(Team.objects.filter(memberships__user=request.user).order_by("name"))
    team_ids = [t.pk for t in teams]
    team = filters.get("team") if filters.get("team") in team_ids else None
    unknown_team = bool(request.GET.get("team")) and team is None
    qs = funnel.proposals(
        team_ids=team_ids, team=team, start=filters.get("start"), end=filters.get("end")
    )
    data = funnel.compute(qs, team, team_ids)
    return render(
        request,
        "prfaq/funnel.html",
        {
            **data,
            "form": form,
            "teams": teams,
            "team": team,
            "unknown_team": unknown_team,
            "chart": funnel.chart(data["stages"]),
            "killed_list": funnel.killed_list(qs),
            "measured_list": funnel.measured_list(qs),
        },
    )


# --- The contract ---------------------------------------------------------------------


@login_required
@require_GET
def contract_detail(request: HtmxHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.access_proposal(request.user, proposal_id)
    contracts = queries.contracts(proposal)
    for earlier, later in itertools.pairwise(contracts):
        later.previous_revision = earlier.revision.number  # type: ignore[attr-defined]
    version = request.GET.get("v", "")
    contract = None
    if contracts:
        contract = next((c for c in contracts if str(c.version) == version), contracts[-1])
    context: dict[str, Any] = {
        "proposal": proposal,
        "contracts": contracts,
        "contract": contract,
        "latest": contracts[-1] if contracts else None,
    }
    if contract is not None:
        context.update(_memo_context(proposal, contract.revision, request))
        context["draft_differs"] = (
            proposal.current_revision.content_hash != contracts[-1].content_hash
        )
        today = timezone.localdate()
        tracked = []
        for metric in queries.metrics_with_readings(proposal):
            points = [metrics.Point(r.date, r.value) for r in metric.readings.all()]
            state = metrics.status(
                baseline=metric.baseline,
                target=metric.target,
                due=metric.due,
                readings=points,
                today=today,
            )
            tracked.append(
                {
                    "metric": metric,
                    "status": state,
                    "status_label": metrics.STATUS_LABELS[state],
                    "chart": metrics.chart(
                        name=metric.name, unit=metric.unit, baseline=metric.baseline,
                        target=metric.target,
                        due=metric.due, start=proposal.launched_on, readings=points,
                    ),
                    "readings": list(metric.readings.all()),
                }
            )  # fmt: skip
        context["tracked"] = tracked
    is_owner = proposal.owner_id == request.user.pk
    context.update(
        is_owner=is_owner,
        can_launch=is_owner and proposal.status == lifecycle.Status.APPROVED,
        can_record=policy.can_record_reading(request.user, proposal),
        can_measure=is_owner and proposal.status == lifecycle.Status.LAUNCHED,
        launch_form=LaunchForm(
            initial={
                "launched_on": timezone.localdate(),
                "review_on": timezone.localdate() + timedelta(days=90),
            }
        ),
        reading_form=ReadingForm(initial={"date": timezone.localdate()}),
        outcome_form=OutcomeForm(),
        verdicts=dict(OutcomeVerdict.choices),
    )  # fmt: skip
    return render(request, "prfaq/contract.html", context)


def _contract_back(request: HtmxHttpRequest, proposal: Proposal) -> HttpResponse:
    url = reverse("proposal-contract", args=[proposal.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_POST
def proposal_launch(request: HtmxHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.access_proposal_as_owner(request.user, proposal_id)
    form = LaunchForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_launch(
                proposal_id=proposal.pk, actor=request.user,
                launched_on=form.cleaned_data["launched_on"],
                review_on=form.cleaned_data["review_on"],
            )  # fmt: skip
        except (ValidationError, lifecycle.TransitionNotAllowed) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "Marked launched. Record readings as they come in.")
    else:
        messages.error(request, "Enter both dates as YYYY-MM-DD.")
    return _contract_back(request, proposal)


@login_required
@require_POST
def metric_reading(request: HtmxHttpRequest, proposal_id: int, metric_id: int) -> HttpResponse:
    proposal = access.access_proposal(request.user, proposal_id)
    if proposal.viewer_role is None:
        raise PermissionDenied("Only members of the team record readings.")
    metric = access.access_metric(proposal, metric_id)
    form = ReadingForm(request.POST)
    if form.is_valid():
        try:
            services.reading_record(
                metric_id=metric.pk, user=request.user, on=form.cleaned_data["date"],
                value=form.cleaned_data["value"], note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Reading recorded for “{metric.name}”.")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(map(str, errors)))
    return _contract_back(request, proposal)


@login_required
@require_POST
def proposal_outcome(request: HtmxHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.access_proposal_as_owner(request.user, proposal_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.outcome_record(
                proposal_id=proposal.pk, actor=request.user,
                verdict=form.cleaned_data["verdict"], evidence=form.cleaned_data["evidence"],
            )  # fmt: skip
        except (ValidationError, lifecycle.TransitionNotAllowed) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "Outcome recorded. The proposal is measured.")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(map(str, errors)))
    return _contract_back(request, proposal)


@never_cache
@require_GET
def live(request: HtmxHttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches nothing; also the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")


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

"""Team pages and invitations: access -> form -> service -> render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts import access, queries, services
from accounts.forms import InvitationForm, InvitationSignupForm, RoleForm
from accounts.models import Role, Team, User
from prfaq.http import HtmxHttpRequest


def _team_context(request: HtmxHttpRequest, team: Team, **extra: object) -> dict[str, object]:
    is_lead = team.viewer_role == Role.LEAD or request.user.is_superuser
    context: dict[str, object] = {
        "team": team,
        "is_lead": is_lead,
        "memberships": queries.team_memberships(team),
        "invitations": queries.team_pending_invitations(team) if is_lead else [],
        "roles": Role.choices,
    }
    from reviews.forms import RingForm
    from reviews.models import Ring

    rings = list(Ring.objects.filter(team=team).order_by("position"))
    context["rings"] = [
        {"ring": r, "form": RingForm(instance=r, prefix=f"ring{r.pk}") if is_lead else None}
        for r in rings
    ]
    context.setdefault("invite_form", InvitationForm())
    context.update(extra)
    return context


def _message_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_http_methods(["GET"])
def team_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    team = access.access_team(request.user, slug)
    return render(request, "accounts/team-detail.html", _team_context(request, team))


@login_required
@require_POST
def team_invite(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    team = access.access_team_as_lead(request.user, slug)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                team=team,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            form.add_error("email", exc.messages[0])
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect(team)
    template = "accounts/team-detail.html"
    if request.htmx:
        template += "#invite"
    return render(request, template, _team_context(request, team, invite_form=form))


def _members_response(request: HtmxHttpRequest, team: Team) -> HttpResponse:
    if request.htmx:
        return render(request, "accounts/team-detail.html#members", _team_context(request, team))
    return redirect(team)


@login_required
@require_POST
def membership_role(request: HtmxHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    team = access.access_team_as_lead(request.user, slug)
    membership = access.access_membership(team, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose member or lead.")
        return _members_response(request, team)
    try:
        services.membership_set_role(
            team=team, membership_id=membership.pk, role=form.cleaned_data["role"]
        )
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(
            request, f"{membership.user} is now a {Role(form.cleaned_data['role']).label.lower()}."
        )
        if membership.user == request.user and form.cleaned_data["role"] != Role.LEAD:
            # The actor just gave up the rights the whole page was built for: reload it.
            if request.htmx:
                return HttpResponseClientRedirect(team.get_absolute_url())
            return redirect(team)
    return _members_response(request, team)


@login_required
@require_POST
def membership_remove(request: HtmxHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    team = access.access_team_as_lead(request.user, slug)
    membership = access.access_membership(team, membership_id)
    try:
        removed = services.membership_remove(team=team, membership_id=membership.pk)
    except ValidationError as exc:
        _message_errors(request, exc)
        return _members_response(request, team)
    messages.success(request, f"{removed} was removed from {team}.")
    if removed == request.user:
        if request.htmx:
            return HttpResponseClientRedirect("/")
        return redirect("dashboard")
    return _members_response(request, team)


@login_required
@require_POST
def invitation_revoke(request: HtmxHttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    team = access.access_team_as_lead(request.user, slug)
    invitation = access.access_invitation(team, invitation_id)
    try:
        services.invitation_revoke(invitation_id=invitation.pk)
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, f"The invitation to {invitation.email} was revoked.")
    return redirect(team)


_UNUSABLE = {
    "expired": (
        "This invitation has expired",
        "Invitations work for a limited time. Ask a lead of the team to send you a new one.",
    ),
    "accepted": (
        "This invitation was already used",
        "Each invitation link works once. If it was you, sign in to reach the team.",
    ),
    "revoked": (
        "This invitation was withdrawn",
        "A team lead revoked it or sent a newer one. Use the newest email you received.",
    ),
    "invalid": (
        "This invitation link is not valid",
        "The link may be mistyped or cut short. Copy the whole link from the email, "
        "or ask a lead of the team to invite you again.",
    ),
}


def _unusable(request: HttpRequest, reason: str) -> HttpResponse:
    title, detail = _UNUSABLE[reason]
    status = 404 if reason == "invalid" else 410
    return render(
        request,
        "accounts/invitation-unusable.html",
        {"title": title, "detail": detail, "reason": reason},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Join a team from an invitation link, signing up first if there is no account."""
    invitation = access.access_invitation_by_token(token)
    if invitation is None:
        return _unusable(request, "invalid")
    problem = services.invitation_problem(invitation)
    if problem:
        return _unusable(request, problem)

    user = request.user
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    context: dict[str, object] = {"invitation": invitation, "has_account": has_account}
    if user.is_authenticated and user.email.lower() != invitation.email.lower():
        context["wrong_user"] = True
        return render(request, "accounts/invitation-accept.html", context, status=403)

    form = None
    if not user.is_authenticated and not has_account:
        form = InvitationSignupForm(request.POST or None, email=invitation.email)
    context["form"] = form

    if request.method == "POST":
        try:
            if user.is_authenticated:
                services.invitation_accept(invitation_id=invitation.pk, user=user)
            elif form is not None and form.is_valid():
                membership = services.invitation_accept_as_new_user(
                    invitation_id=invitation.pk,
                    display_name=form.cleaned_data["display_name"],
                    password=form.cleaned_data["password1"],
                )
                user = membership.user
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                return render(request, "accounts/invitation-accept.html", context)
        except services.InvitationUnusable as exc:
            return _unusable(request, exc.reason)
        except ValidationError as exc:
            _message_errors(request, exc)
            return render(request, "accounts/invitation-accept.html", context)
        messages.success(request, f"Welcome to {invitation.team.name}.")
        return redirect(invitation.team)
    return render(request, "accounts/invitation-accept.html", context)

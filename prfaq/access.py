"""The only way a view gets a proposal or revision. Outsiders get 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.audit import Concealed
from accounts.models import Membership, Role, User
from prfaq import lifecycle
from prfaq.models import Metric, Proposal, Revision

# Ids beyond what the columns hold are answered like any missing object, before a query.
MAX_ID = 2**63 - 1
MAX_REVISION = 2**31 - 1


def access_proposal(user: User, proposal_id: int) -> Proposal:
    """The proposal if `user` belongs to its team (or is staff), with the newest revision.

    Sets `viewer_role` ("member", "lead", or None for staff outside the team).
    Raises Http404 for missing proposals and for other teams' proposals alike (those as
    `Concealed`: the same 404, written to the audit log).
    """
    if not 0 < proposal_id <= MAX_ID:
        raise Http404("No such proposal.")
    proposal = (
        Proposal.objects.select_related("team", "owner", "current_revision__author")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise Http404("No such proposal.")
    membership = Membership.objects.filter(team_id=proposal.team_id, user=user).only("role").first()
    if membership is None and not user.is_staff:
        raise Concealed("No such proposal.")
    proposal.viewer_role = membership.role if membership else None
    return proposal


def access_proposal_for_editing(user: User, proposal_id: int) -> Proposal:
    """The proposal if `user` may change its working draft: a team member, while open."""
    proposal = access_proposal(user, proposal_id)
    if proposal.viewer_role is None:
        raise PermissionDenied("Only members of the team can edit this proposal.")
    if proposal.status not in lifecycle.EDITABLE:
        raise PermissionDenied(
            f"This proposal is {proposal.get_status_display().lower()}; it can no longer change."
        )
    return proposal


def access_proposal_as_owner(user: User, proposal_id: int) -> Proposal:
    """The proposal if `user` owns it. Other members get 403, outsiders 404."""
    proposal = access_proposal(user, proposal_id)
    if proposal.owner_id != user.pk:
        raise PermissionDenied("Only the owner of this proposal can do that.")
    return proposal


def access_proposal_as_owner_or_lead(user: User, proposal_id: int) -> Proposal:
    proposal = access_proposal(user, proposal_id)
    if proposal.owner_id != user.pk and proposal.viewer_role != Role.LEAD:
        raise PermissionDenied("Only the owner or a team lead can do that.")
    return proposal


def access_revision(proposal: Proposal, number: int) -> Revision:
    """Revision `number` of an already-accessed proposal; any other number is a 404."""
    if not 0 < number <= MAX_REVISION:
        raise Http404("No such revision.")
    revision = (
        Revision.objects.select_related("author").filter(proposal=proposal, number=number).first()
    )
    if revision is None:
        raise Http404("No such revision.")
    return revision


def access_metric(proposal: Proposal, metric_id: int) -> Metric:
    """A tracked metric of an already-accessed proposal; any other id is a 404."""
    metric = Metric.objects.filter(proposal=proposal, pk=metric_id, active=True).first()
    if metric is None:
        raise Http404("No such metric.")
    return metric

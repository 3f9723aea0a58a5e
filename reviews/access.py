"""The only way a view gets a round, ring or comment. Outsiders get 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.audit import Concealed
from accounts.models import Membership, Team, User
from prfaq.access import MAX_ID, MAX_REVISION
from prfaq.keys import is_key
from prfaq.models import Proposal
from reviews import visibility
from reviews.models import Assignment, Comment, Ring, Round


def access_round(
    user: User, proposal_id: int, number: int
) -> tuple[Proposal, Round, Assignment | None]:
    """Round `number` of a proposal, for its team (or staff) and its assigned reviewers.

    A reviewer from another team reaches the rounds they review and nothing else.
    Returns the proposal (with `viewer_role`), the round and the viewer's assignment.
    """
    if not (0 < proposal_id <= MAX_ID and 0 < number <= MAX_REVISION):
        raise Http404("No such round.")
    round_ = (
        Round.objects.select_related(
            "proposal__team", "proposal__owner", "proposal__current_revision", "ring", "revision"
        )
        .filter(proposal_id=proposal_id, number=number)
        .first()
    )
    if round_ is None:
        raise Http404("No such round.")
    proposal = round_.proposal
    membership = Membership.objects.filter(team_id=proposal.team_id, user=user).only("role").first()
    assignment = Assignment.objects.filter(round=round_, reviewer=user).first()
    if membership is None and assignment is None and not user.is_staff:
        raise Concealed("No such round.")
    proposal.viewer_role = membership.role if membership else None
    return proposal, round_, assignment


def access_round_as_owner(user: User, proposal_id: int, number: int) -> tuple[Proposal, Round]:
    """The round, for its proposal's owner to run.

    An owner who is also still reading it (possible only in data from before owners
    were kept out of rounds) may not: closing a round shows every decision.
    """
    proposal, round_, _ = access_round(user, proposal_id, number)
    if proposal.owner_id != user.pk:
        raise PermissionDenied("Only the proposal's owner runs its rounds.")
    if visibility.is_reading(proposal, user):
        raise PermissionDenied("Finish reading before you run the round.")
    return proposal, round_


def access_round_as_reviewer(
    user: User, proposal_id: int, number: int
) -> tuple[Proposal, Round, Assignment]:
    proposal, round_, assignment = access_round(user, proposal_id, number)
    if assignment is None:
        raise PermissionDenied("Only the round's reviewers can do that.")
    return proposal, round_, assignment


def access_comment(user: User, proposal: Proposal, key: str) -> Comment:
    """A comment on an already-accessed proposal that `user` may see, by its key.

    A comment hidden by silent reading (or in a round a reviewer from outside the
    team is not assigned to) is answered exactly as a missing one: the same 404.
    """
    if not is_key(key):
        raise Http404("No such comment.")
    comment = visibility.comment(proposal, user, visibility.sight(proposal, user), key)
    if comment is None:
        if Comment.objects.filter(proposal=proposal, key=key).exists():
            raise Concealed("No such comment.")  # the same answer; the audit log knows
        raise Http404("No such comment.")
    return comment


def access_ring(team: Team, ring_id: int) -> Ring:
    ring = Ring.objects.filter(team=team, pk=ring_id).first()
    if ring is None:
        raise Http404("No such ring.")
    return ring

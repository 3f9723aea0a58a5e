"""The differential secrecy sweep: silent reading hides everything, through every route.

Each test builds its scenario twice from scratch, a quiet world and a busy one that
differ only in other people's review activity, records everything the observer can
obtain in each (tests/security/sweep.py) and requires the two recordings to be the
same. Then the observer is let see (they finish reading, the reading period ends, they
join the team) and the recordings must differ: the sweep can see what it guards.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role, Team, User
from prfaq import document
from prfaq import services as prfaq_services
from prfaq.models import Proposal
from reviews import services
from reviews.models import Decision, ReviewerRole
from tests.factories import PASSWORD, MembershipFactory, TeamFactory, UserFactory
from tests.prfaq.helpers import save_step
from tests.review_helpers import write_strong
from tests.security import sweep

pytestmark = pytest.mark.django_db

# In the busy world's comments and rationales only; never in the observer's answers.
SECRETS = [f"ZEBRA-{i}" for i in range(1, 30)]


@pytest.fixture(autouse=True)
def _real_middleware(settings):
    """The site's own middleware: django-zeal (tests/conftest.py) fails a request on a
    repeated query, and more rows in the busy world would make it fail only there."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("zeal.")]


# --- Building the worlds --------------------------------------------------------------


@dataclass
class People:
    team: Team
    other_team: Team
    other_proposal: Proposal  # of the other team
    owner: User  # Olive, lead of the team, the proposal's owner
    ana: User
    ben: User
    cy: User
    mo: User  # a member who reviews nothing
    zed: User  # a member whose membership the sweep's lead POSTs change
    xia: User  # a member of the other team


def person(name: str, *, staff: bool = False):
    user = UserFactory(
        email=f"{name.lower()}@example.com",
        display_name=name,
        is_staff=staff,
        is_superuser=staff,
    )
    # The same hash in both worlds: the admin shows the start of its salt.
    user.password = make_password(PASSWORD, salt="secrecysweep")
    user.save(update_fields=["password"])
    return user


def people(*, cy_staff: bool = False) -> People:
    team = TeamFactory(name="Checkout", slug="checkout")
    other_team = TeamFactory(name="Payments", slug="payments")
    owner = person("Olive")
    MembershipFactory(team=team, user=owner, role=Role.LEAD)
    members = {}
    for name in ("Ana", "Ben", "Cy", "Mo", "Zed"):
        members[name] = person(name, staff=cy_staff and name == "Cy")
        MembershipFactory(team=team, user=members[name])
    pat, xia = person("Pat"), person("Xia")
    MembershipFactory(team=other_team, user=pat, role=Role.LEAD)
    MembershipFactory(team=other_team, user=xia)
    other = prfaq_services.proposal_create(team=other_team, owner=pat, title="Split the bill")
    return People(
        team, other_team, other, owner, members["Ana"], members["Ben"], members["Cy"],
        members["Mo"], members["Zed"], xia,
    )  # fmt: skip


def scene_for(p: People, proposal, observer, rounds, reveals=()) -> sweep.Scene:
    return sweep.Scene(
        observer=observer,
        owner=p.owner,
        proposal=Proposal.objects.get(pk=proposal.pk),
        team=p.team,
        other_team=p.other_team,
        other_proposal=p.other_proposal,
        rounds=rounds,
        membership=p.zed.memberships.get(team=p.team),
        reveals=list(reveals),
    )


def open_round(proposal, owner, reviewers, mode="async"):
    return services.round_open(
        proposal_id=proposal.pk, actor=owner, mode=mode, due=timezone.now() + timedelta(days=3),
        reviewers=[services.ReviewerChoice(u.pk, role) for u, role in reviewers],
    )  # fmt: skip


def comment(round_, author, body, *, section="general", quote="", blocking=False, reply_to=None):
    extra = {}
    if reply_to is not None:  # by key once comments have one, by id before
        if "parent_key" in inspect.signature(services.comment_create).parameters:
            extra["parent_key"] = reply_to.key
        else:
            extra["parent_id"] = reply_to.pk
    return services.comment_create(
        round_id=round_.pk, author=author, section=section, body=body, quote=quote,
        blocking=blocking, **extra,
    )  # fmt: skip


def read(round_, user):
    services.reading_start(round_id=round_.pk, user=user)
    services.reading_done(round_id=round_.pk, user=user)


def decide(round_, user, decision, rationale=""):
    services.decision_record(
        round_id=round_.pk, reviewer=user, decision=decision, rationale=rationale
    )


def first_sentence(round_, section):
    text = services.section_text(round_.revision, section)
    return text.split(". ")[0]


def change_a_step(proposal, owner):
    current = Proposal.objects.get(pk=proposal.pk).current_revision
    problem = dict(document.normalized(current.content)["problem"])
    problem["today"] += " Some call the shop to hold a slot by phone."
    save_step(proposal, owner, "problem", problem)


# --- Comparing ---------------------------------------------------------------------------


def compare(quiet: sweep.Recording, busy: sweep.Recording) -> None:
    """No secret word in the busy world's answers, then the same answers in both."""
    found = busy.containing(SECRETS)
    assert not found, "Secrets reach the observer:\n" + "\n".join(found[:20])
    different = sweep.differences(quiet, busy)
    assert not different, sweep.report(different)


def control(quiet: sweep.Recording, busy: sweep.Recording) -> None:
    """Once the observer may see, the busy world shows its secrets: the sweep can see."""
    assert sweep.differences(quiet, busy), "the sweep saw no difference after the reveal"
    assert busy.containing(SECRETS)


def both_worlds(capture, build: Callable[[bool], tuple[sweep.Scene, Callable[[], None]]]):
    """Build, record, reveal and record again in the busy world, then in the quiet one.

    Busy first: the keys and ids that exist only there are the probes asked for in
    both. `build(busy)` gives the scene and the reveal (the step after which the
    observer may see everything). Returns the recordings and the controls by busy.
    """
    recordings, controls = {}, {}
    probes = None
    for busy in (True, False):
        with sweep.world():
            with capture(execute=True):
                scene, reveal = build(busy)
            probes = probes or sweep.Probes.gather(scene.observer)
            recordings[busy] = sweep.record(scene, probes, capture)
            with capture(execute=True):
                reveal()
            controls[busy] = sweep.record(scene, probes, capture, parts="pages")
    return recordings, controls


def test_every_route_is_swept_or_excluded():
    """A new URL pattern fails the sweep until it is called or excluded with a reason."""
    assert sweep.uncovered() == set(), "add these routes to tests/security/sweep.py"
    stale = (set(sweep.routes()) | set(sweep.EXCLUDED)) - {n for n, _, _ in sweep.url_patterns()}
    assert stale == set(), "these routes no longer exist"


# --- A. An async round -------------------------------------------------------------------


def build_async(busy: bool, *, cy_staff: bool):
    """Round 1 (async) with Ana, Ben and Cy; Cy is still reading. Reveal: Cy is done."""
    p = people(cy_staff=cy_staff)
    owner, ana, ben, cy = p.owner, p.ana, p.ben, p.cy
    proposal = prfaq_services.proposal_create(
        team=p.team, owner=owner, title="Hold the delivery slot"
    )
    write_strong(proposal, owner)
    round_ = open_round(proposal, owner, [(u, ReviewerRole.REVIEWER) for u in (ana, ben, cy)])
    services.reading_start(round_id=round_.pk, user=cy)
    comment(round_, cy, "Cy's draft: where is the price?", blocking=True)
    sentence = first_sentence(round_, "press_release.summary")
    comment(round_, cy, "Cy's draft on this sentence.", section="press_release.summary",
            quote=sentence)  # fmt: skip
    read(round_, ana)
    read(round_, ben)
    if busy:
        a1 = comment(
            round_, ana, f"ZEBRA-1 {sweep.SEARCH_WORD}: @Cy and @Olive, the price is missing.",
            section="press_release.summary", quote=sentence,
        )  # fmt: skip
        comment(round_, ben, "ZEBRA-2 agreed, the price.", reply_to=a1)
        b2 = comment(round_, ben, "ZEBRA-3 who is the customer?", section="customer.who",
                     blocking=True)  # fmt: skip
        services.comment_resolve(comment_id=b2.pk, user=ben)
        comment(round_, ana, "ZEBRA-4 the problem is not a problem.",
                section="problem.statement", blocking=True)  # fmt: skip
        decide(round_, ana, Decision.APPROVE, "ZEBRA-5 good enough")
        decide(round_, ben, Decision.REQUEST_CHANGES, "ZEBRA-6 name the price")
        comment(round_, owner, "ZEBRA-7 the price is in the FAQ.", reply_to=a1)
    change_a_step(proposal, owner)
    services.round_put_up_newest(round_id=round_.pk, actor=owner)
    reveals = [("reading-done", {"proposal_id": proposal.pk, "number": round_.number})]
    scene = scene_for(p, proposal, cy, [round_.number], reveals)
    return scene, lambda: services.reading_done(round_id=round_.pk, user=cy)


@pytest.mark.parametrize("staff", [False, True], ids=["member", "superuser"])
def test_async_round_a_reader_learns_nothing_of_the_others(
    staff, django_capture_on_commit_callbacks
):
    """Cy is still reading round 1 while Ana and Ben have read, commented, mentioned Cy,
    raised and resolved blockers and decided, and Olive put a new revision up: Cy's
    every answer (pages, fragments, POSTs, inbox, mail, the admin as a superuser) is the
    same as in a world where nobody did anything. Done reading then reveals it all."""
    recordings, controls = both_worlds(
        django_capture_on_commit_callbacks, lambda busy: build_async(busy, cy_staff=staff)
    )
    if staff:  # a superuser reaches every page: every route in the table was called
        assert set(sweep.routes()) - recordings[True].hit == set()
    compare(recordings[False], recordings[True])
    control(controls[False], controls[True])


# --- B. A meeting round ------------------------------------------------------------------


def build_meeting(busy: bool, observer: str):
    """A meeting round whose reading period runs. Reveal: Olive ends the period.

    Ana starts reading before the period and Ben during it, in both worlds: who reads
    when is the owner's to see. Only the drafts (and Ana's try to finish early) differ.
    """
    p = people()
    owner, ana, ben, cy = p.owner, p.ana, p.ben, p.cy
    proposal = prfaq_services.proposal_create(
        team=p.team, owner=owner, title="Hold the delivery slot"
    )
    write_strong(proposal, owner)
    round_ = open_round(
        proposal, owner, [(u, ReviewerRole.REVIEWER) for u in (ana, ben, cy)], mode="meeting"
    )
    services.reading_start(round_id=round_.pk, user=ana)
    if busy:
        comment(round_, ana, "ZEBRA-11 early draft, @Olive look.")
        # Finishing before the period starts would publish the draft early: refused.
        with contextlib.suppress(ValidationError):
            services.reading_done(round_id=round_.pk, user=ana)
    services.meeting_start(round_id=round_.pk, actor=owner)
    services.reading_start(round_id=round_.pk, user=ben)
    if busy:
        comment(round_, ana, f"ZEBRA-12 {sweep.SEARCH_WORD} in the period.")
        comment(round_, ben, "ZEBRA-13 blocking: no price.", section="customer.who",
                blocking=True)  # fmt: skip
    viewer = {"owner": owner, "member": p.mo}[observer]
    key = {"proposal_id": proposal.pk, "number": round_.number}
    reveals = []
    if viewer == owner:  # ending the period or the round shows everything, by design
        reveals = [
            ("round-action", {**key, "action": "meeting-end"}),
            ("round-action", {**key, "action": "close"}),
            ("proposal-withdraw", {"proposal_id": proposal.pk}),
        ]
    scene = scene_for(p, proposal, viewer, [round_.number], reveals)
    return scene, lambda: services.meeting_end(round_id=round_.pk, actor=owner)


@pytest.mark.parametrize("observer", ["owner", "member"])
def test_meeting_round_nothing_shows_before_the_reading_period_ends(
    observer, django_capture_on_commit_callbacks
):
    """In a meeting round, drafts written before and during the reading period (and a
    reviewer's attempt to finish before it starts) reach neither the owner running it
    nor a team member who is not reviewing, until the period ends."""
    recordings, controls = both_worlds(
        django_capture_on_commit_callbacks, lambda busy: build_meeting(busy, observer)
    )
    compare(recordings[False], recordings[True])
    control(controls[False], controls[True])


# --- C. A bar raiser from another team ---------------------------------------------------


def build_bar_raiser(busy: bool):
    """Rounds 1 and 2 passed, round 3 open; Xia reviewed round 2 only, which is the
    same in both worlds. Reveal: Xia joins the team."""
    p = people()
    owner, ana, ben, mo, xia = p.owner, p.ana, p.ben, p.mo, p.xia
    proposal = prfaq_services.proposal_create(
        team=p.team, owner=owner, title="Hold the delivery slot"
    )
    write_strong(proposal, owner)
    team_round = open_round(proposal, owner, [(ana, ReviewerRole.REVIEWER)])
    read(team_round, ana)
    if busy:
        comment(team_round, ana, f"ZEBRA-21 {sweep.SEARCH_WORD}: the team round's opinion.")
    decide(team_round, ana, Decision.APPROVE, "ZEBRA-22 team approves" if busy else "")
    peers = open_round(proposal, owner, [(ana, ReviewerRole.REVIEWER),
                                         (xia, ReviewerRole.BAR_RAISER)])  # fmt: skip
    read(peers, ana)
    read(peers, xia)
    decide(peers, ana, Decision.APPROVE)
    decide(peers, xia, Decision.APPROVE)
    leaders = open_round(proposal, owner, [(ben, ReviewerRole.APPROVER),
                                           (mo, ReviewerRole.APPROVER)])  # fmt: skip
    read(leaders, ben)
    if busy:
        comment(leaders, ben, "ZEBRA-23 leadership worries about cost.")
        comment(leaders, owner, "ZEBRA-24 the owner answers leadership.")
    decide(leaders, ben, Decision.APPROVE, "ZEBRA-25 leadership approves" if busy else "")
    # Round 3 stays open: Mo has not decided.
    scene = scene_for(p, proposal, xia, [peers.number])

    def join_the_team():
        MembershipFactory(team=p.team, user=xia)
        scene.rounds = [team_round.number, peers.number, leaders.number]

    return scene, join_the_team


def test_bar_raiser_sees_only_the_round_they_review(django_capture_on_commit_callbacks):
    """Xia, a bar raiser from another team, reviewed round 2 only. Round 1's comments and
    rationale and the open round 3's comments and decision never reach Xia, by any
    route; once Xia joins the team, they do."""
    recordings, controls = both_worlds(django_capture_on_commit_callbacks, build_bar_raiser)
    compare(recordings[False], recordings[True])
    control(controls[False], controls[True])

"""The nine ways through silent reading an adversarial reviewer found, each closed.

Each test sets up what the reviewer found, as that reviewer would meet it, and
asserts what a reader still reading can obtain. The whole-surface proof is the
differential sweep in tests/security/test_secrecy_sweep.py; these name each hole.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.utils import quote
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from prfaq import services as prfaq_services
from prfaq.models import PLAIN, REVEALING, Event, EventAction, Notification, NotificationStatus
from reviews import services
from reviews.models import Assignment, Comment, Decision, ReviewerRole, Ring
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.prfaq.helpers import save_step
from tests.reviews.conftest import choices, read

pytestmark = pytest.mark.django_db


def start(round_, user):
    """Open the round and start reading: still silently reading."""
    services.reading_start(round_id=round_.pk, user=user)


done = read  # start and click Done reading


@pytest.fixture
def scene(open_round, reviewers, django_capture_on_commit_callbacks):
    """Ana and Ben have finished reading and spoken; Cy is still reading, with a draft."""
    ana, ben, cy = reviewers
    with django_capture_on_commit_callbacks(execute=True):
        round_ = open_round(choices(ana, ben, cy))
        done(round_, ana)
        done(round_, ben)
        start(round_, cy)
        services.comment_create(round_id=round_.pk, author=cy, section="general", body="CY-DRAFT")
    return round_


def neutral(body: bytes, *paths: str) -> str:
    """A response body with the request paths and per-response tokens taken out."""
    text = body.decode()
    for path in paths:
        text = text.replace(path, "PATH")
    text = re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1T", text)
    return re.sub(r'nonce="[^"]+"', 'nonce="N"', text)


def test_resolve_answers_a_hidden_comment_exactly_as_a_missing_one(login, scene, ready, reviewers):
    """Hole 1: POST .../comments/<id>/resolve/ told hidden from missing comments."""
    ana, _, cy = reviewers
    hidden = services.comment_create(
        round_id=scene.pk, author=ana, section="general", body="ANA-SECRET"
    )
    client = login(cy)

    def resolve(key):
        url = reverse("comment-resolve", args=[ready.pk, scene.number, key])
        return url, client.post(url, {"resolve": "1"})

    answers = [resolve(key) for key in [hidden.key, "NoSuchKey123", "x" * 16, "1"]]
    assert {response.status_code for _, response in answers} == {404}
    bodies = {neutral(response.content, url) for url, response in answers}
    assert len(bodies) == 1, "a hidden comment is answered differently from a missing one"
    assert "Nothing here" in bodies.pop()
    hidden.refresh_from_db()
    assert hidden.resolved is None
    # Cy's own draft is found (and cannot be resolved before it is published).
    mine = Comment.objects.get(body="CY-DRAFT")
    _url, response = resolve(mine.key)
    assert response.status_code == 302


@pytest.mark.parametrize("htmx", [False, True])
def test_a_reply_to_a_hidden_thread_is_answered_as_a_missing_one(
    login, scene, ready, reviewers, htmx
):
    """Hole 2: a reply naming a hidden parent was saved into that thread."""
    ana, _, cy = reviewers
    hidden = services.comment_create(
        round_id=scene.pk, author=ana, section="general", body="ANA-SECRET"
    )
    reply = services.comment_create(
        round_id=scene.pk, author=ana, section="general", body="ANA-REPLY", parent_key=hidden.key
    )
    client = login(cy)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("comment-create", args=[ready.pk, scene.number])
    answers = []
    for parent in [hidden.key, reply.key, "NoSuchKey123"]:
        response = client.post(url, {"body": "probe", "parent": parent}, follow=True, **headers)
        answers.append(neutral(response.content, url))
    assert len(set(answers)) == 1
    assert "That thread does not exist." in answers[0]
    assert not Comment.objects.filter(body="probe").exists()
    with pytest.raises(ValidationError, match="That thread does not exist"):
        services.comment_create(
            round_id=scene.pk, author=cy, section="general", body="x", parent_key=hidden.key
        )


def test_pages_name_comments_by_keys_that_count_nothing(login, scene, ready, reviewers):
    """Hole 3: `id="c<pk>"` from a global counter showed how many others wrote."""
    ana, _, cy = reviewers
    first = Comment.objects.get(body="CY-DRAFT")
    for i in range(3):
        services.comment_create(round_id=scene.pk, author=ana, section="general", body=f"A{i}")
    second = services.comment_create(round_id=scene.pk, author=cy, section="general", body="CY-2")
    page = login(cy).get(reverse("round-detail", args=[ready.pk, scene.number])).content.decode()
    assert f'id="c-{first.key}"' in page
    assert f'id="c-{second.key}"' in page
    assert re.search(r'id="c-?\d+"', page) is None
    assert re.search(r"/comments/\d+/", page) is None
    for comment in (first, second):
        assert str(comment.pk) not in re.findall(r'(?:id|value|for)="[a-z-]*(\d+)"', page)
    assert first.key != second.key
    assert len(first.key) == 16


def test_the_new_revision_email_tells_a_reader_nothing_of_approvals(
    scene, ready, lead, reviewers, django_capture_on_commit_callbacks
):
    """Hole 4: 'approvals must be given again' reached a reader only if someone approved."""
    ana, _, cy = reviewers
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(round_id=scene.pk, reviewer=ana, decision=Decision.APPROVE)
        content = dict(ready.current_revision.content["customer"])
        content["who"] = content["who"] + " Also small grocers."
        save_step(ready, lead, "customer", content)
        mail.outbox.clear()
        services.round_put_up_newest(round_id=scene.pk, actor=lead)
    to = {m.to[0]: m.body for m in mail.outbox if "New revision" in m.subject}
    assert "Approvals given" not in to[cy.email]
    assert "Approvals given on the older text need to be given again." in to[ana.email]


def test_a_reader_cannot_become_owner_and_an_owner_who_reads_sees_no_counts(
    login, scene, ready, lead, reviewers, django_capture_on_commit_callbacks
):
    """Hole 5: an owner changed to a reader saw '2 of 3 decided', decisions and Close."""
    ana, ben, cy = reviewers
    with pytest.raises(ValidationError, match="still reading"):
        prfaq_services.proposal_change_owner(proposal_id=ready.pk, actor=lead, new_owner=cy)
    response = login(lead).post(
        reverse("proposal-owner", args=[ready.pk]), {"owner": cy.pk}, follow=True
    )
    assert "still reading" in response.content.decode()
    ready.refresh_from_db()
    assert ready.owner_id == lead.pk
    # Data from before the rule: Cy owns the proposal while still reading its round.
    type(ready).objects.filter(pk=ready.pk).update(owner=cy)
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(
            round_id=scene.pk, reviewer=ana, decision=Decision.DISAGREE_COMMIT,
            rationale="ANA-RATIONALE",
        )  # fmt: skip
        services.decision_record(round_id=scene.pk, reviewer=ben, decision=Decision.APPROVE)
    client = login(cy)
    for name in ["dashboard", "review-queue", "notifications"]:
        body = client.get(reverse(name)).content.decode()
        assert "decided" not in body, name
        assert "ANA-RATIONALE" not in body, name
    assert not [m for m in mail.outbox if cy.email in m.to and "decided" in m.subject]
    held = Notification.objects.filter(user=cy, kind="decision")
    assert held.count() == 2
    assert all(n.status == NotificationStatus.HELD for n in held)
    page = client.get(reverse("round-detail", args=[ready.pk, scene.number])).content.decode()
    assert "Close the round now" not in page
    close = client.post(reverse("round-action", args=[ready.pk, scene.number, "close"]))
    assert close.status_code == 403
    scene.refresh_from_db()
    assert scene.is_open


def test_meeting_mode_publishes_nothing_before_the_reading_period_ends(
    login, open_round, ready, lead, reviewers, team
):
    """Hole 6: Done reading before the period started published at once to the owner."""
    ana, ben, _ = reviewers
    watcher = MembershipFactory(team=team).user
    round_ = open_round(choices(ana, ben), mode="meeting")
    start(round_, ana)
    services.comment_create(round_id=round_.pk, author=ana, section="general", body="EARLY")
    with pytest.raises(ValidationError, match="meeting round"):
        services.reading_done(round_id=round_.pk, user=ana)
    page = login(ana).get(reverse("round-detail", args=[ready.pk, round_.number])).content
    assert b"Done reading" not in page
    assert b"The owner starts it." in page
    services.meeting_start(round_id=round_.pk, actor=lead)
    start(round_, ben)
    services.comment_create(round_id=round_.pk, author=ben, section="general", body="DURING")
    for observer in (lead, watcher):
        body = login(observer).get(reverse("round-detail", args=[ready.pk, round_.number]))
        assert b"EARLY" not in body.content
        assert b"DURING" not in body.content
    services.meeting_end(round_id=round_.pk, actor=lead)
    body = login(watcher).get(reverse("round-detail", args=[ready.pk, round_.number])).content
    assert b"EARLY" in body
    assert b"DURING" in body


def test_the_admin_shows_a_staff_reader_nothing_held_or_caused_by_the_round(
    login, scene, ready, lead, reviewers, django_capture_on_commit_callbacks
):
    """Hole 7: a staff member still reading opened held mentions and decisions in the admin."""
    ana, _, cy = reviewers
    type(cy).objects.filter(pk=cy.pk).update(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(
            round_id=scene.pk, author=ana, section="general", body="@cy ANA-MENTION"
        )
        services.decision_record(
            round_id=scene.pk, reviewer=ana, decision=Decision.DISAGREE_COMMIT,
            rationale="ANA-RATIONALE",
        )  # fmt: skip
    mention = Notification.objects.get(user=cy, kind="mention")
    decision = Notification.objects.get(user=lead, kind="decision")
    assert mention.status == NotificationStatus.HELD
    client = login(cy)
    listing = client.get(reverse("admin:prfaq_notification_changelist") + "?q=decided").content
    assert b"decision" not in listing
    assert b"mention" not in listing
    missing = client.get(reverse("admin:prfaq_notification_change", args=["NoSuchKey123"]))
    for hidden in (mention, decision):
        url = reverse("admin:prfaq_notification_change", args=[quote(hidden.key)])
        response = client.get(url, follow=True)
        assert b"ANA-" not in response.content
        assert response.redirect_chain[-1][0] == missing["Location"]
    # Once Cy has finished reading, the decision (no longer about a round Cy reads) shows,
    # linked by its key: numeric ids would let a staff reader count the gaps.
    services.reading_done(round_id=scene.pk, user=cy)
    listing = client.get(reverse("admin:prfaq_notification_changelist")).content.decode()
    assert "decision" in listing
    assert f"/admin/prfaq/notification/{quote(decision.key)}/change/" in listing
    assert re.search(r"/admin/prfaq/notification/\d+/", listing) is None
    page = client.get(reverse("admin:prfaq_notification_change", args=[quote(decision.key)]))
    assert "ANA-RATIONALE" in page.content.decode()
    by_id = client.get(reverse("admin:prfaq_notification_change", args=[decision.pk]))
    assert by_id["Location"] == missing["Location"]


def test_a_reviewer_from_outside_the_team_sees_only_their_own_rounds(
    login, open_round, ready, lead, member, reviewers
):
    """Hole 8: a bar raiser of round 2 saw round 1's decisions and round 3's kill."""
    ana, ben, _ = reviewers
    raiser = MembershipFactory(team=TeamFactory(), user=UserFactory(display_name="Sol")).user
    first = open_round(choices(ana))
    done(first, ana)
    services.comment_create(round_id=first.pk, author=ana, section="general", body="R1-TALK")
    services.decision_record(
        round_id=first.pk, reviewer=ana, decision=Decision.DISAGREE_COMMIT, rationale="R1-WHY"
    )
    second = open_round(choices(ana) + choices(raiser, role=ReviewerRole.BAR_RAISER))
    for user in (ana, raiser):
        done(second, user)
    services.comment_create(round_id=second.pk, author=ana, section="general", body="R2-TALK")
    for user in (ana, raiser):
        services.decision_record(
            round_id=second.pk, reviewer=user, decision=Decision.APPROVE, rationale="R2-WHY"
        )
    third = open_round(choices(ben, role=ReviewerRole.APPROVER))
    done(third, ben)
    services.comment_create(round_id=third.pk, author=ben, section="general", body="R3-TALK")
    services.decision_record(
        round_id=third.pk, reviewer=ben, decision=Decision.KILL, rationale="R3-KILL"
    )
    client = login(raiser)
    page = client.get(reverse("round-detail", args=[ready.pk, second.number])).content.decode()
    assert "R2-TALK" in page
    assert "R2-WHY" in page
    for secret in ["R1-TALK", "R1-WHY", "R3-TALK", "R3-KILL", "Killed"]:
        assert secret not in page, secret
    assert client.get(reverse("round-detail", args=[ready.pk, third.number])).status_code == 404
    assert client.get(reverse("round-detail", args=[ready.pk, first.number])).status_code == 404


def test_the_funnel_names_only_the_viewers_own_rings(login, member, team, proposal):
    """Hole 9: /funnel/ without a team filter listed other teams' ring names."""
    other = TeamFactory()
    Ring.objects.create(team=other, position=4, name="Project Nightingale")
    Ring.objects.filter(team=team, position=1).update(name="Our team")
    body = login(member).get(reverse("funnel")).content.decode()
    assert "Project Nightingale" not in body
    assert "Our team" in body


def test_every_event_action_is_classified_and_no_other_can_be_written(ready, lead):
    assert set(EventAction) == REVEALING | PLAIN
    assert not REVEALING & PLAIN
    with pytest.raises(ValueError, match="not in EventAction"):
        Event.objects.create(proposal=ready, actor=lead, action="comment")
    assert EventAction.DECIDE in REVEALING
    assert EventAction.ROUND_OPEN in PLAIN


def test_every_event_written_in_a_whole_review_is_a_known_action(
    open_round, ready, lead, reviewers
):
    """Walk a proposal through rounds, revision, kill: each event is classified."""
    ana, _, _ = reviewers
    Ring.objects.filter(team=ready.team, position=1).update(may_kill=True)
    round_ = open_round(choices(ana, role=ReviewerRole.APPROVER))
    done(round_, ana)
    services.decision_record(round_id=round_.pk, reviewer=ana, decision="kill", rationale="No.")
    actions = set(Event.objects.filter(proposal=ready).values_list("action", flat=True))
    assert actions <= set(EventAction)
    assert {"round_open", "done_reading", "decide", "round_close", "kill"} <= actions
    numbered = Event.objects.filter(proposal=ready, round_number=round_.number)
    assert set(numbered.values_list("action", flat=True)) >= {"decide", "round_close", "kill"}


def test_every_notification_about_a_round_names_its_proposal(
    scene, ready, reviewers, django_capture_on_commit_callbacks
):
    ana = reviewers[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(round_id=scene.pk, reviewer=ana, decision=Decision.APPROVE)
    about = Notification.objects.filter(kind__in=["round_opened", "decision"])
    assert about.count() == 4
    assert set(about.values_list("proposal_id", flat=True)) == {ready.pk}


def test_a_meeting_reader_who_finished_before_the_period_is_not_counted_read_early(
    login, open_round, ready, lead, reviewers
):
    """The owner's queue counts a meeting reviewer as read only once the period ends."""
    ana, ben, _ = reviewers
    round_ = open_round(choices(ana, ben), mode="meeting")
    start(round_, ana)
    services.meeting_start(round_id=round_.pk, actor=lead)
    body = login(lead).get(reverse("review-queue")).content.decode()
    assert "0 of 2 read" in body
    Assignment.objects.filter(round=round_).update(
        reading_finished=timezone.now() - timedelta(seconds=1)
    )
    assert "2 of 2 read" in login(lead).get(reverse("review-queue")).content.decode()

"""Silent reading is airtight: a reviewer still reading sees no one else's view, anywhere."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from prfaq.models import Notification, NotificationStatus
from reviews import services
from reviews.models import Assignment, Comment, Decision
from tests.reviews.conftest import choices, read

pytestmark = pytest.mark.django_db

SECRETS = ["ANA-OPINION", "ANA-RATIONALE"]


@pytest.fixture
def scene(open_round, ready, lead, reviewers, django_capture_on_commit_callbacks):
    """Ana has read, commented, mentioned Ben and approved; Ben is still reading."""
    ana, ben, _ = reviewers
    with django_capture_on_commit_callbacks(execute=True):
        round_ = open_round(choices(ana, ben))
        read(round_, ana)
        services.reading_start(round_id=round_.pk, user=ben)
        services.comment_create(
            round_id=round_.pk, author=ana, section="press_release.summary",
            body="ANA-OPINION: the price is missing. @ben what do you think?",
        )  # fmt: skip
        services.decision_record(
            round_id=round_.pk,
            reviewer=ana,
            decision=Decision.DISAGREE_COMMIT,
            rationale="ANA-RATIONALE",
        )
        services.comment_create(round_id=round_.pk, author=ben, section="general", body="BEN-DRAFT")
    return round_


def surfaces(ready, round_):
    return [
        reverse("round-detail", args=[ready.pk, round_.number]),
        reverse("round-detail", args=[ready.pk, round_.number]) + "?part=comments",
        reverse("proposal-memo", args=[ready.pk]),
        reverse("proposal-history", args=[ready.pk]),
        reverse("proposal-list"),
        reverse("dashboard"),
        reverse("review-queue"),
        reverse("notifications"),
    ]


@pytest.mark.parametrize("htmx", [False, True])
def test_a_reader_sees_nothing_of_others_on_any_page(login, scene, ready, reviewers, htmx):
    _ana, ben, _ = reviewers
    client = login(ben)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for url in surfaces(ready, scene):
        body = client.get(url, **headers).content.decode()
        for secret in SECRETS:
            assert secret not in body, (url, secret)
        assert "Disagree" not in body, url
        assert "mentioned you" not in body, url
    page = client.get(reverse("round-detail", args=[ready.pk, scene.number])).content.decode()
    assert "BEN-DRAFT" in page
    assert "private draft" in page
    assert "Silent reading" in page
    assert "1 of 2 read" not in client.get(reverse("review-queue")).content.decode()


def test_nothing_reaches_a_reader_by_notification_or_email(scene, reviewers, lead):
    _ana, ben, _ = reviewers
    assert [
        m
        for m in mail.outbox
        if ben.email in m.to and ("ANA" in m.body or "mentioned" in m.subject)
    ] == []
    held = Notification.objects.get(user=ben, kind="mention")
    assert held.status == NotificationStatus.HELD
    # The owner (never a reviewer) hears of the decision at once.
    assert any(lead.email in m.to and "decided" in m.subject for m in mail.outbox)


def test_drafts_stay_private_to_everyone_else_until_done_reading(
    login, scene, ready, reviewers, lead
):
    ana, _ben, cy = reviewers
    for viewer in [ana, lead, cy]:
        body = (
            login(viewer)
            .get(reverse("round-detail", args=[ready.pk, scene.number]))
            .content.decode()
        )
        assert "BEN-DRAFT" not in body


def test_done_reading_reveals_everything_and_releases_held_mail(
    login, scene, ready, reviewers, lead, django_capture_on_commit_callbacks
):
    _ana, ben, _ = reviewers
    with django_capture_on_commit_callbacks(execute=True):
        services.reading_done(round_id=scene.pk, user=ben)
    body = login(ben).get(reverse("round-detail", args=[ready.pk, scene.number])).content.decode()
    assert "ANA-OPINION" in body
    assert "ANA-RATIONALE" in body
    assert Notification.objects.get(user=ben, kind="mention").status == NotificationStatus.SENT
    assert any(ben.email in m.to and "mentioned you" in m.subject for m in mail.outbox)
    owner_view = (
        login(lead).get(reverse("round-detail", args=[ready.pk, scene.number])).content.decode()
    )
    assert "BEN-DRAFT" in owner_view
    assert Comment.objects.get(body="BEN-DRAFT").published is not None


@pytest.mark.parametrize("ending", ["close", "cancel"])
def test_a_round_that_ends_while_someone_reads_releases_what_was_held_for_them(
    scene, ready, reviewers, lead, ending, django_capture_on_commit_callbacks
):
    _ana, ben, _ = reviewers
    assert Notification.objects.get(user=ben, kind="mention").status == NotificationStatus.HELD
    with django_capture_on_commit_callbacks(execute=True):
        if ending == "close":
            services.round_close(round_id=scene.pk, actor=lead)
        else:
            services.round_cancel(proposal_id=ready.pk, actor=lead, reason="Withdrawn.")
    # The round is over, so Ben is reading nothing: the mention reaches him.
    assert Notification.objects.get(user=ben, kind="mention").status == NotificationStatus.SENT
    assert any(ben.email in m.to and "mentioned you" in m.subject for m in mail.outbox)
    assert not Notification.objects.filter(status=NotificationStatus.HELD).exists()


def test_reading_time_is_shown_to_the_owner(login, scene, ready, reviewers, lead):
    Assignment.objects.filter(reviewer=reviewers[0]).update(
        reading_started=timezone.now() - timedelta(minutes=12, seconds=5),
        reading_finished=timezone.now(),
    )
    body = login(lead).get(reverse("round-detail", args=[ready.pk, scene.number])).content.decode()
    assert "read for 12 min" in body


def test_meeting_mode_reveals_all_drafts_together_and_latecomers_still_read(
    open_round, ready, lead, reviewers
):
    ana, ben, cy = reviewers
    round_ = open_round(choices(ana, ben, cy), mode="meeting")
    services.reading_start(round_id=round_.pk, user=ana)
    services.meeting_start(round_id=round_.pk, actor=lead)
    services.reading_start(round_id=round_.pk, user=ben)
    a = services.comment_create(round_id=round_.pk, author=ana, section="general", body="A")
    b = services.comment_create(round_id=round_.pk, author=ben, section="general", body="B")
    round_.refresh_from_db()
    assert a.published == b.published == round_.reading_ends  # appear together
    from reviews import visibility

    seen = visibility.sight(ready, ana)
    assert seen.reading
    assert list(visibility.comments(ready, ana, seen).values_list("body", flat=True)) == ["A"]

    services.meeting_end(round_id=round_.pk, actor=lead)  # the facilitator ends it early
    seen = visibility.sight(ready, ana)
    assert not seen.reading
    assert set(visibility.comments(ready, ana, seen).values_list("body", flat=True)) == {"A", "B"}
    # Cy never opened the round during the period: Cy still reads first.
    seen_cy = visibility.sight(ready, cy)
    assert seen_cy.reading
    assert list(visibility.comments(ready, cy, seen_cy)) == []


def test_reminders_go_once_a_day_before_the_due_date(
    open_round, reviewers, django_capture_on_commit_callbacks
):
    round_ = open_round(choices(*reviewers[:2]), days=3)
    assert services.reminders_send() == 0  # not yet
    later = timezone.now() + timedelta(days=2, hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=later) == 2
    assert services.reminders_send(now=later) == 0
    assert Notification.objects.filter(kind="reminder").count() == 2
    assert round_.assignments.filter(reminded__isnull=False).count() == 2


def test_round_opening_notifies_each_reviewer_in_the_same_transaction(open_round, reviewers):
    round_ = open_round(choices(*reviewers))
    rows = Notification.objects.filter(kind="round_opened")
    assert sorted(rows.values_list("user_id", flat=True)) == sorted(u.pk for u in reviewers)
    assert all(n.url == round_.get_absolute_url() for n in rows)

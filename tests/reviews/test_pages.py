"""Review pages through HTTP: access, forms, htmx fragments, query budgets."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from prfaq.lifecycle import Status
from prfaq.models import Notification, Proposal
from reviews import services
from reviews.models import Assignment, Comment, Decision, ReviewerRole, Ring, Round
from tests.factories import MembershipFactory
from tests.helpers import assert_constant_queries
from tests.reviews.conftest import choices, read

pytestmark = pytest.mark.django_db
SOON = (date.today() + timedelta(days=7)).isoformat()


def round_url(round_, suffix=""):
    return reverse("round-detail", args=[round_.proposal_id, round_.number]) + suffix


def test_owner_opens_a_round_from_the_form(login, ready, lead, reviewers, hx):
    client = login(lead)
    page = client.get(reverse("round-new", args=[ready.pk]), **hx)
    assert b"Open the Team round" in page.content
    assert lead.display_name.encode() not in page.content.split(b"<tbody>")[1]  # author not listed
    ana = reviewers[0]
    bad = client.post(
        reverse("round-new", args=[ready.pk]),
        {"mode": "async", "due": "2001-01-01", f"role-{ana.pk}": "approver"},
    )
    assert b"Give reviewers at least until tomorrow." in bad.content
    response = client.post(
        reverse("round-new", args=[ready.pk]),
        {"mode": "async", "due": SOON, f"role-{ana.pk}": "approver", f"required-{ana.pk}": "on"},
    )
    round_ = Round.objects.get(proposal=ready)
    assert response["Location"] == round_url(round_)
    assert Assignment.objects.get(round=round_).role == ReviewerRole.APPROVER


def test_only_the_owner_opens_rounds_and_outsiders_see_nothing(
    login, ready, reviewers, outsider, open_round, stranger
):
    assert login(reviewers[0]).get(reverse("round-new", args=[ready.pk])).status_code == 403
    assert login(outsider).get(reverse("round-new", args=[ready.pk])).status_code == 404
    round_ = open_round(choices(reviewers[0]) + choices(stranger, role=ReviewerRole.BAR_RAISER))
    assert login(outsider).get(round_url(round_)).status_code == 404
    # A reviewer from another team reaches the round they review, and nothing else.
    client = login(stranger)
    assert client.get(round_url(round_)).status_code == 200
    assert client.get(reverse("proposal-memo", args=[ready.pk])).status_code == 404
    assert client.get(reverse("proposal-history", args=[ready.pk])).status_code == 404
    for action in ["close", "revise", "meeting-start"]:
        assert (
            client.post(reverse("round-action", args=[ready.pk, round_.number, action])).status_code
            == 403
        )
    assert (
        login(lead_of(ready))
        .post(reverse("round-action", args=[ready.pk, round_.number, "nope"]))
        .status_code
        == 404
    )


def lead_of(proposal):
    return proposal.owner


def test_reviewer_starts_reads_comments_and_decides_through_the_pages(
    login, open_round, ready, reviewers, hx
):
    ana = reviewers[0]
    round_ = open_round(choices(ana))
    client = login(ana)
    assert b"Start reading" in client.get(round_url(round_), **hx).content
    assert client.get(reverse("reading-start", args=[ready.pk, round_.number])).status_code == 405
    client.post(reverse("reading-start", args=[ready.pk, round_.number]))
    page = client.get(round_url(round_)).content.decode()
    assert "Done reading" in page
    assert "Save private draft" in page
    response = client.post(
        reverse("comment-create", args=[ready.pk, round_.number]),
        {
            "section": "press_release.headline",
            "quote": "holds your delivery slot",
            "body": "Strong <script>x</script>",
        },
        **hx,
    )
    assert response.status_code in (200, 302)
    comment = Comment.objects.get()
    assert comment.published is None
    assert comment.quote == "holds your delivery slot"
    client.post(reverse("reading-done", args=[ready.pk, round_.number]))
    page = client.get(round_url(round_)).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x" not in page
    client.post(
        reverse("decision-record", args=[ready.pk, round_.number]),
        {"decision": "request_changes", "rationale": ""},
    )
    assert Assignment.objects.get(round=round_).decision == ""
    client.post(reverse("decision-record", args=[ready.pk, round_.number]), {"decision": "approve"})
    round_.refresh_from_db()
    assert round_.outcome == "passed"


def test_bad_comment_input_gets_a_clear_message(login, open_round, ready, reviewers):
    ana = reviewers[0]
    round_ = open_round(choices(ana))
    read(round_, ana)
    client = login(ana)
    url = reverse("comment-create", args=[ready.pk, round_.number])
    for data, message in [
        ({"section": "nope", "body": "x"}, b"Choose a section of the document."),
        ({"section": "general", "body": "   "}, b"This field is required."),
        ({"section": "general", "body": "x" * 5001}, b"at most 5000 characters"),
        ({"section": "general", "body": "x", "parent": "999999"}, b"That thread does not exist."),
        ({"section": "general", "body": "x", "parent": "abc"}, b"That thread does not exist."),
        ({"section": "general", "body": "x", "parent": "a/b c"}, b"That thread does not exist."),
        ({"section": "general", "body": "x", "parent": "x" * 40}, b"That thread does not exist."),
    ]:
        response = client.post(url, data, follow=True)
        assert message in response.content, data
    assert Comment.objects.count() == 0


def test_lead_edits_rings_members_cannot(login, team, lead, member):
    ring = Ring.objects.filter(team=team).first()
    url = reverse("ring-update", args=[team.slug, ring.pk])
    p = f"ring{ring.pk}"
    data = {
        "prefix": p,
        f"{p}-name": "Squad",
        f"{p}-pass_rule": "at_least",
        f"{p}-min_approvals": 2,
        f"{p}-reading_minutes": 30,
    }
    assert login(member).post(url, data).status_code == 403
    login(lead).post(url, data)
    ring.refresh_from_db()
    assert (ring.name, ring.min_approvals, ring.reading_minutes, ring.may_kill) == (
        "Squad",
        2,
        30,
        False,
    )
    response = login(lead).post(url, {**data, f"{p}-reading_minutes": 0}, follow=True)
    assert b"Between 1 and 240 minutes." in response.content
    page = login(lead).get(reverse("team-detail", args=[team.slug])).content.decode()
    assert "Squad" in page
    assert "Review rings" in page


def test_round_page_and_queue_cost_the_same_with_200_comments_and_20_reviewers(
    login, open_round, ready, lead, reviewers, team
):
    round_ = open_round(choices(*reviewers))
    for user in reviewers:
        read(round_, user)
    for i in range(3):
        services.comment_create(
            round_id=round_.pk, author=reviewers[i % 3], section="general", body=f"c{i}"
        )
    client = login(reviewers[0])

    def grow():
        extra = [MembershipFactory(team=team).user for _ in range(17)]
        Assignment.objects.bulk_create(
            [
                Assignment(
                    round=round_,
                    reviewer=u,
                    reading_started=round_.opened,
                    reading_finished=round_.opened,
                )
                for u in extra
            ]
        )
        for i in range(197):
            services.comment_create(
                round_id=round_.pk, author=reviewers[i % 3], section="general", body=f"more {i}"
            )

    url = round_url(round_)
    count = assert_constant_queries(client, url, grow)
    assert Comment.objects.count() == 200
    assert count <= 25

    queue_client = login(reviewers[1])
    assert_constant_queries(queue_client, reverse("review-queue"), lambda: None)


def test_notifications_page_lists_and_marks_read(login, open_round, reviewers):
    open_round(choices(reviewers[0]))
    client = login(reviewers[0])
    page = client.get(reverse("notifications")).content.decode()
    assert "Please review" in page
    assert 'aria-label="1 unread"' in client.get(reverse("dashboard")).content.decode()
    for wrong in ["abc", "1", "a/b", "x" * 40]:  # no such key: nothing is marked
        client.post(reverse("notifications"), {"id": wrong})
        assert 'aria-label="1 unread"' in client.get(reverse("dashboard")).content.decode()
    key = Notification.objects.get(user=reviewers[0]).key
    assert f'value="{key}"' in page  # the form names it by its key, not a counted id
    client.post(reverse("notifications"), {"id": key})
    assert 'aria-label="1 unread"' not in client.get(reverse("dashboard")).content.decode()


def test_killed_proposal_shows_the_reason_on_its_timeline(
    login, open_round, ready, lead, stranger, member, reviewers
):
    for ring_choices in [
        choices(reviewers[0]),
        choices(reviewers[0]) + choices(stranger, role=ReviewerRole.BAR_RAISER),
    ]:
        passing = open_round(ring_choices)
        for a in passing.assignments.select_related("reviewer"):
            read(passing, a.reviewer)
            services.decision_record(
                round_id=passing.pk, reviewer=a.reviewer, decision=Decision.APPROVE
            )
    round_ = open_round(choices(stranger, role=ReviewerRole.APPROVER))
    read(round_, stranger)
    services.decision_record(
        round_id=round_.pk,
        reviewer=stranger,
        decision=Decision.KILL,
        rationale="Eleven requests a year.",
    )
    assert Proposal.objects.get(pk=ready.pk).status == Status.KILLED
    memo = login(member).get(reverse("proposal-memo", args=[ready.pk])).content.decode()
    assert "Killed" in memo
    assert "Eleven requests a year." in memo


def test_dashboard_shows_my_queue_and_whose_turn(login, open_round, lead, reviewers):
    open_round(choices(reviewers[0]))
    assert "to read" in login(reviewers[0]).get(reverse("dashboard")).content.decode()
    owner_view = login(lead).get(reverse("dashboard")).content.decode()
    assert "0 of 1 decided" in owner_view
    assert "reviewers&#x27; turn" in owner_view or "reviewers' turn" in owner_view


def _people_outside(n: int, batch: str = "") -> list:
    from accounts.models import User

    return User.objects.bulk_create(
        User(email=f"outside{batch}{i}@example.com", display_name=f"Outside Person {batch}{i:04}")
        for i in range(n)
    )


def test_a_large_installation_lists_the_team_and_finds_everyone_else(
    login, ready, lead, reviewers, hx
):
    from reviews.queries import FOUND_MAX, OUTSIDE_LISTED

    outside = _people_outside(max(600, OUTSIDE_LISTED + 1))
    url = reverse("round-new", args=[ready.pk])
    client = login(lead)
    page = client.get(url, **hx).content.decode()
    assert reviewers[0].display_name in page  # the team is always listed
    assert "Outside Person" not in page  # the rest is found by search
    assert "Add someone from outside the team" in page

    # The search box (htmx) answers with the rows found, keeping roles chosen so far.
    ana, bea = reviewers[0], outside[7]
    found = client.get(
        url, {"q": "person 0007", f"role-{ana.pk}": "approver"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Outside Person 0007" in found
    assert "<tbody" not in found  # rows only, for the table's second body
    assert "Open the round" not in found
    # Someone found earlier keeps their row and role when the search changes.
    again = client.get(
        url, {"q": "person 0010", f"role-{bea.pk}": "bar_raiser"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Outside Person 0010" in again
    assert "Outside Person 0007" in again
    assert '<option value="bar_raiser" selected>' in again
    many = client.get(url, {"q": "outside"}, HTTP_HX_REQUEST="true").content.decode()
    assert many.count("<tr>") == FOUND_MAX
    none = client.get(url, {"q": "nobody-like-this"}, HTTP_HX_REQUEST="true").content.decode()
    assert "No one outside the team matches" in none
    # Without JavaScript the search reloads the page with the matches in the table.
    plain = client.get(url, {"q": "person 0007"}).content.decode()
    assert "Outside Person 0007" in plain

    # Opening the round with someone found: 600 people did not make the form too big.
    response = client.post(
        url,
        {
            "mode": "async", "due": SOON,
            f"role-{ana.pk}": "approver", f"required-{ana.pk}": "on",
            f"role-{bea.pk}": "bar_raiser", f"required-{bea.pk}": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:500]
    round_ = Round.objects.get(proposal=ready)
    assert {a.reviewer_id for a in Assignment.objects.filter(round=round_)} == {ana.pk, bea.pk}


def test_the_round_form_costs_the_same_queries_however_many_people_there_are(
    login, ready, lead, reviewers
):
    _people_outside(40)
    client = login(lead)
    url = reverse("round-new", args=[ready.pk]) + "?q=outside"
    assert_constant_queries(client, url, lambda: _people_outside(40, batch="b") and None)


@pytest.mark.parametrize("htmx", [False, True])
def test_a_double_clicked_close_is_told_as_a_message_not_a_403(
    login, open_round, ready, lead, reviewers, htmx, caplog
):
    """The second click finds the round closed: a state race, not a refusal of who the
    user is. It is said on the page, and the audit log records no access problem."""
    round_ = open_round(choices(reviewers[0]))
    client = login(lead)
    url = reverse("round-action", args=[ready.pk, round_.number, "close"])
    page = round_url(round_)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    first = client.post(url, HTTP_REFERER="http://testserver" + page, **headers)
    assert first.status_code in (200, 302)
    with caplog.at_level("WARNING", logger="prfaq.audit"):
        second = client.post(url, HTTP_REFERER="http://testserver" + page, **headers)
    assert "access_denied" not in caplog.text
    if htmx:
        assert second.status_code == 409
        assert second["HX-Reswap"] == "none"
        assert b'hx-swap-oob="true"' in second.content
        assert b"This round is already closed." in second.content
    else:
        assert second.status_code == 302
        assert second["Location"] == "http://testserver" + page
        assert "This round is already closed." in client.get(page).content.decode()

import pytest
from django.urls import reverse

from prfaq import document, rendering, services
from prfaq.lifecycle import Status
from prfaq.models import Event, Proposal, Revision
from tests.factories import MembershipFactory, TeamFactory
from tests.helpers import assert_constant_queries
from tests.prfaq.helpers import fill, save_step

pytestmark = pytest.mark.django_db


def page_urls(p):
    return [
        reverse("proposal-memo", args=[p.pk]),
        *[reverse("proposal-step", args=[p.pk, s.slug]) for s in document.STEPS],
        reverse("proposal-history", args=[p.pk]),
        reverse("revision-detail", args=[p.pk, 1]),
        reverse("proposal-diff", args=[p.pk]) + "?a=1&b=2",
        reverse("revision-export", args=[p.pk, 1]),
    ]


def test_every_proposal_page_serves_without_rendering_markdown(
    login, proposal, lead, member, hx, monkeypatch
):
    fill(proposal, lead)
    save_step(proposal, member, "customer", {"who": "Changed by a teammate"})

    def refuse(text):
        raise AssertionError("Markdown rendered while serving a GET")

    monkeypatch.setattr(rendering, "render", refuse)
    client = login(member)
    for url in page_urls(proposal):
        response = client.get(url, **hx)
        assert response.status_code == 200, url


def test_outsiders_get_404_on_every_proposal_page(login, proposal, outsider):
    client = login(outsider)
    for url in page_urls(proposal):
        assert client.get(url).status_code == 404, url
    for name in ["proposal-withdraw", "proposal-owner", "markdown-preview"]:
        assert client.post(reverse(name, args=[proposal.pk])).status_code == 404
    step = reverse("proposal-step", args=[proposal.pk, "customer"])
    assert client.post(step, {"who": "x"}).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/proposals/999999/",
        "/proposals/99999999999999999999999/",
        "/proposals/{pk}/steps/nope/",
        "/proposals/{pk}/revisions/99/",
        "/proposals/{pk}/revisions/99999999999999/export.md",
        "/proposals/{pk}/diff/?a=1&b=abc",
        "/proposals/{pk}/diff/?a=1",
        "/proposals/{pk}/diff/?a=1&b=77",
    ],
)
def test_wrong_ids_and_parameters_are_404(login, proposal, lead, url):
    assert login(lead).get(url.format(pk=proposal.pk)).status_code == 404


def test_list_shows_my_teams_proposals_with_filters_and_pages(login, team, lead, proposal, hx):
    other = TeamFactory(slug="elsewhere")
    stranger = MembershipFactory(team=other).user
    services.proposal_create(team=other, owner=stranger, title="Secret of another team")
    second_team = TeamFactory(slug="second", name="Second")
    MembershipFactory(team=second_team, user=lead)
    services.proposal_create(team=second_team, owner=lead, title="Second-team idea")
    withdrawn = services.proposal_create(team=team, owner=lead, title="Dropped idea")
    services.proposal_withdraw(proposal_id=withdrawn.pk, actor=lead)

    client = login(lead)
    body = client.get(reverse("proposal-list"), **hx).content.decode()
    assert "Hold the delivery slot" in body
    assert "Second-team idea" in body
    assert "Secret of another team" not in body

    by_team = client.get(reverse("proposal-list") + "?team=second", **hx).content.decode()
    assert "Second-team idea" in by_team
    assert "Hold the delivery slot" not in by_team
    by_status = client.get(reverse("proposal-list") + "?status=withdrawn").content.decode()
    assert "Dropped idea" in by_status
    assert "Hold the delivery slot" not in by_status
    # A team the user is not in filters to nothing rather than leaking.
    assert "Secret" not in client.get(reverse("proposal-list") + "?team=elsewhere").content.decode()
    bad = client.get(reverse("proposal-list") + "?status=bogus&page=abc")
    assert bad.status_code == 200


def test_list_paginates_and_keeps_query_count_flat(login, team, lead):
    for i in range(3):
        services.proposal_create(team=team, owner=lead, title=f"Idea {i}")
    client = login(lead)

    def grow():
        for i in range(40):
            services.proposal_create(team=team, owner=lead, title=f"More {i}")

    assert_constant_queries(client, reverse("proposal-list"), grow)
    page2 = client.get(reverse("proposal-list") + "?page=2").content.decode()
    assert "Page 2 of 2" in page2


def test_new_proposal_only_in_my_teams(login, team, lead, hx):
    client = login(lead)
    assert client.get(reverse("proposal-new"), **hx).status_code == 200
    other = TeamFactory()
    refused = client.post(reverse("proposal-new"), {"title": "X", "team": other.pk})
    assert b"Choose one of your teams." in refused.content
    empty = client.post(reverse("proposal-new"), {"title": "   ", "team": team.pk})
    assert (
        b"Give the proposal a title" in empty.content or b"This field is required" in empty.content
    )
    too_long = client.post(reverse("proposal-new"), {"title": "x" * 201, "team": team.pk})
    assert b"at most 200 characters" in too_long.content
    assert Proposal.objects.count() == 0

    response = client.post(reverse("proposal-new"), {"title": "Slot holds", "team": team.pk}, **hx)
    proposal = Proposal.objects.get()
    assert proposal.owner == lead
    assert proposal.status == Status.DRAFTING
    expected = reverse("proposal-step", args=[proposal.pk, "customer"])
    assert (response.get("HX-Redirect") or response["Location"]) == expected
    assert Event.objects.get(proposal=proposal).action == "create"


def test_memo_reads_press_release_then_faqs_then_metrics(login, proposal, lead, member):
    fill(proposal, lead)
    body = login(member).get(reverse("proposal-memo", args=[proposal.pk])).content.decode()
    order = [
        body.index("<strong>Headline</strong>") if "<strong>Headline" in body else 0,
        body.index("<strong>Summary</strong>"),
        body.index("External FAQ"),
        body.index("Internal FAQ"),
        body.index("Success metrics"),
    ]
    assert order == sorted(order)
    assert "<em>1</em>" in body  # answers rendered from stored HTML
    assert "Metric 3" in body


@pytest.mark.parametrize("name", ["memo", "step", "history"])
def test_pages_cost_the_same_queries_with_1_or_50_revisions_entries_metrics(
    login, proposal, lead, member, name
):
    fill(proposal, lead, faq=1, metrics=1)
    save_step(proposal, member, "customer", {"who": "Teammate edit"})
    url = {
        "memo": reverse("proposal-memo", args=[proposal.pk]),
        "step": reverse("proposal-step", args=[proposal.pk, "faq"]),
        "history": reverse("proposal-history", args=[proposal.pk]),
    }[name]
    client = login(member)

    def grow():
        fill(proposal, lead, faq=50, metrics=50)
        for i in range(25):
            save_step(proposal, member if i % 2 else lead, "customer", {"who": f"Edit {i}"})
        assert Revision.objects.filter(proposal=proposal).count() > 25

    assert_constant_queries(client, url, grow)


def test_export_markdown_has_the_whole_memo_in_order(login, proposal, lead):
    fill(proposal, lead)
    response = login(lead).get(reverse("revision-export", args=[proposal.pk, 1]))
    assert response["Content-Type"].startswith("text/markdown")
    assert 'filename="hold-the-delivery-slot-r1.md"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("# **Headline** text")
    assert "## External FAQ" in text
    assert "**Q: Question 1?**" in text
    assert "| Metric 1 | output | 9 % | 2 % | 2027-06-30 |" in text


def test_history_diff_and_restore(login, proposal, lead, member, hx):
    save_step(proposal, lead, "customer", {"who": "Shoppers who plan their week"})
    save_step(proposal, member, "customer", {"who": "Shoppers who plan their whole week"})
    client = login(lead)
    history = client.get(reverse("proposal-history", args=[proposal.pk]), **hx).content.decode()
    assert "Customer" in history
    assert member.display_name in history

    diff = client.get(reverse("proposal-diff", args=[proposal.pk]) + "?a=1&b=2", **hx)
    html = diff.content.decode()
    assert (
        '<ins class="diff-ins">whole </ins>' in html or '<ins class="diff-ins">whole</ins>' in html
    )
    assert "style=" not in html

    response = client.post(reverse("revision-restore", args=[proposal.pk, 1]), **hx)
    assert response.status_code in (200, 302)
    newest = Proposal.objects.get(pk=proposal.pk).current_revision
    assert newest.number == 3
    assert newest.restored_from == 1
    assert newest.content["customer"]["who"] == "Shoppers who plan their week"
    # Restoring the newest is refused with a message, not an error page.
    again = client.post(reverse("revision-restore", args=[proposal.pk, 3]), follow=True)
    assert b"already the newest" in again.content


def test_owner_change_by_owner_or_lead_to_team_members_only(
    login, proposal, lead, member, outsider
):
    client = login(member)
    assert (
        client.post(reverse("proposal-owner", args=[proposal.pk]), {"owner": member.pk}).status_code
        == 403
    )
    response = login(lead).post(
        reverse("proposal-owner", args=[proposal.pk]), {"owner": outsider.pk}, follow=True
    )
    assert b"Choose a member of the team." in response.content
    login(lead).post(reverse("proposal-owner", args=[proposal.pk]), {"owner": member.pk})
    assert Proposal.objects.get(pk=proposal.pk).owner == member
    assert Event.objects.filter(proposal=proposal, action="change_owner").exists()


def test_only_the_owner_withdraws(login, proposal, lead, member):
    assert login(member).post(reverse("proposal-withdraw", args=[proposal.pk])).status_code == 403
    response = login(lead).post(
        reverse("proposal-withdraw", args=[proposal.pk]), {"note": "Evidence was thin"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    assert Event.objects.get(proposal=proposal, action="withdraw").note == "Evidence was thin"
    # Closed proposals read fine but refuse edits.
    step = reverse("proposal-step", args=[proposal.pk, "customer"])
    assert b"can no longer change" in login(lead).get(step).content
    assert login(lead).post(step, {"who": "x"}).status_code == 403


def test_dashboard_lists_my_proposals_with_constant_queries(login, team, lead, hx):
    for i in range(3):
        services.proposal_create(team=team, owner=lead, title=f"Mine {i}")
    client = login(lead)
    assert "Mine 2" in client.get(reverse("dashboard"), **hx).content.decode()

    def grow():
        for i in range(30):
            services.proposal_create(team=team, owner=lead, title=f"More {i}")

    assert_constant_queries(client, reverse("dashboard"), grow)


def test_memo_fragment_cache_follows_the_text_and_fails_open(
    login, proposal, lead, member, settings, caplog
):
    client = login(member)
    save_step(proposal, lead, "press_release", {"headline": "First headline"})
    assert (
        "First headline"
        in client.get(reverse("proposal-memo", args=[proposal.pk])).content.decode()
    )
    # The same revision, coalesced with new text, has a new hash: the page shows it.
    save_step(proposal, lead, "press_release", {"headline": "Second headline"})
    body = client.get(reverse("proposal-memo", args=[proposal.pk])).content.decode()
    assert "Second headline" in body
    assert "First headline" not in body
    settings.CACHES = {
        "default": {
            "BACKEND": "prfaq.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = client.get(reverse("proposal-memo", args=[proposal.pk]))
    assert response.status_code == 200
    assert "Second headline" in response.content.decode()
    assert "serving without the cache" in caplog.text  # the cache really was down


def test_diff_numbers_faq_entries_and_names_a_removed_one():
    from prfaq.diff import document_diff

    def faq(*ids):
        entries = [
            {"id": i, "audience": "customer", "question": f"Q{i}?", "answer": "A."} for i in ids
        ]
        return {"faq": {"entries": entries}}

    labels = [d.label for d in document_diff(faq("x", "y", "z"), faq("x", "z")) if d.step == "FAQ"]
    assert labels == ["Question 1", "Question 2", "Question (removed)"]

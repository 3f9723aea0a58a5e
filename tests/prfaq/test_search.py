"""Search over titles and document text. The SQLite run tests the fallback; CI's
PostgreSQL run tests full-text search on the GIN-indexed vector."""

import pytest
from django.db import connection
from django.urls import reverse

from prfaq import search, services
from prfaq.models import Proposal
from tests.factories import MembershipFactory, TeamFactory
from tests.prfaq.helpers import save_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(team, lead):
    a = services.proposal_create(team=team, owner=lead, title="Delivery slot holds")
    save_step(a, lead, "customer", {"who": "Evening shoppers who lose their delivery slot"})
    b = services.proposal_create(team=team, owner=lead, title="Recipe baskets")
    save_step(
        b, lead, "problem", {"statement": "Turning a recipe into a basket takes twenty minutes"}
    )
    c = services.proposal_create(team=team, owner=lead, title="Split the bill")
    return a, b, c


def test_search_finds_titles_and_text_with_snippets(corpus, login, lead, hx):
    client = login(lead)
    body = client.get(reverse("proposal-list") + "?q=recipe", **hx).content.decode()
    assert "Recipe baskets" in body
    assert "Delivery slot holds" not in body
    assert "<mark>" in body
    text = client.get(reverse("proposal-list") + "?q=shoppers").content.decode()
    assert "Delivery slot holds" in text  # found in the customer step, not the title
    none = client.get(reverse("proposal-list") + "?q=zebra").content.decode()
    assert "No proposals match" in none


def test_search_is_scoped_to_my_teams_and_escapes_text(corpus, login, lead):
    other = TeamFactory()
    stranger = MembershipFactory(team=other).user
    services.proposal_create(team=other, owner=stranger, title="Recipe secrets of another team")
    hostile = services.proposal_create(
        team=corpus[0].team, owner=lead, title="Recipe <script>alert(1)</script>"
    )
    body = login(lead).get(reverse("proposal-list") + "?q=recipe").content.decode()
    assert "secrets of another team" not in body
    assert "<script>alert(1)</script>" not in body
    assert hostile.title in Proposal.objects.get(pk=hostile.pk).search_text


def test_the_text_is_indexed_on_save(corpus, lead):
    a = corpus[0]
    save_step(a, lead, "problem", {"statement": "Marmalade is always out of stock"})
    assert "Marmalade" in Proposal.objects.get(pk=a.pk).search_text
    assert [p.title for p in search.search(Proposal.objects.all(), "marmalade")] == [
        "Delivery slot holds"
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_postgres_ranks_title_matches_first_and_uses_the_gin_index(corpus, team, lead):
    body_hit = services.proposal_create(team=team, owner=lead, title="Cupboards")
    save_step(body_hit, lead, "customer", {"who": "People who plan their pantry"})
    title_hit = services.proposal_create(team=team, owner=lead, title="Pantry planner")
    results = list(search.search(Proposal.objects.all(), "pantry"))
    assert results == [title_hit, body_hit]  # title weight A beats body weight B
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM prfaq_proposal "
            "WHERE search_vector @@ websearch_to_tsquery('english', 'basket')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "prfaq_proposal_search_gin" in plan

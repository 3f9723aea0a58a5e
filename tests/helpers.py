"""Assertions shared by page tests."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

MAX_QUERIES_PER_PAGE = 25


def count_queries(client: Client, url: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def assert_constant_queries(
    client: Client, url: str, grow: Callable[[], None], **headers: str
) -> int:
    """The page costs the same number of queries before and after `grow()` adds rows.

    Call with at least a few related rows already present (a single row hides N+1s).
    Returns the count, which must also stay within the page budget.
    """
    client.get(url, **headers)  # warm per-process caches (content types, sessions)
    before = count_queries(client, url, **headers)
    grow()
    after = count_queries(client, url, **headers)
    assert before == after, f"{url}: {before} queries with less data, {after} with more"
    assert after <= MAX_QUERIES_PER_PAGE, f"{url}: {after} queries, budget {MAX_QUERIES_PER_PAGE}"
    return after

"""PostgreSQL drops the app's connections (restart, failover, an administrator's
pg_terminate_backend): the next request still succeeds.

Requests take their connection from Django's psycopg pool and give it back when they
end. The pool checks a connection before handing it out (CONN_HEALTH_CHECKS in
prfaq/settings.py), so a dead one is replaced instead of failing the request. A live
server, not the test client: the test client keeps its connection across requests,
so it would never take one from the pool.
"""

from __future__ import annotations

import urllib.request

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


def other_sessions(*, terminate: bool) -> set[int]:
    """From a connection of our own (not the pool's), the other sessions on the test
    database; with `terminate`, end each of them."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    ) as admin:
        rows = admin.execute(
            "SELECT pid, CASE WHEN %s THEN pg_terminate_backend(pid) END FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [terminate, db["NAME"]],
        ).fetchall()
    return {pid for pid, _ in rows}


def test_the_next_request_after_the_database_dropped_the_connections_succeeds(live_server, lead):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server connection to drop")
    pool = connection.pool
    assert pool is not None, "DATABASES should use the psycopg pool"
    client = Client()
    client.force_login(lead)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    connection.close()  # this thread's connection goes back to the pool too

    def dashboard() -> str:
        url = live_server.url + reverse("dashboard")
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - ours
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            assert response.status == 200
            return response.read().decode()

    assert lead.display_name in dashboard()
    # Every session on the database is one waiting, idle, in the pool.
    pooled = other_sessions(terminate=False)
    assert pooled
    assert pool.get_stats()["pool_available"] == len(pooled)

    killed = other_sessions(terminate=True)
    assert pooled <= killed
    lost = pool.get_stats().get("connections_lost", 0)

    assert lead.display_name in dashboard()
    # The request was handed a dropped connection's place, and the pool replaced it.
    assert pool.get_stats().get("connections_lost", 0) > lost

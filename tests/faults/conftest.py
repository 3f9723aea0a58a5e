"""Fixtures for the fault tests: servers of our own, started and stopped per test."""

from __future__ import annotations

import pytest

from tests.faults.support import RedisServer, SMTPServer, require_redis_server


@pytest.fixture
def redis_server():
    """A private Redis to kill and restart; never the shared one on 6379."""
    require_redis_server()
    server = RedisServer()
    server.start()
    yield server
    server.kill()


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    yield server
    server.close()

"""Shared fixtures. Test-only settings live here, not in prfaq/settings.py."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from accounts.models import Role, Team, User
from prfaq.celery import app as celery_app
from tests.factories import MembershipFactory, TeamFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM then
# refuses to run there unless told the caller knows what it is doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_tests(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    cache.clear()  # ids repeat across tests; cached fragments must not


def _enable_zeal() -> None:
    """django-zeal watches every request a test makes and fails it on an N+1 query."""
    from zeal.constants import initialize_app_registry
    from zeal.patch import patch

    initialize_app_registry()
    patch()


_enable_zeal()


@pytest.fixture(autouse=True)
def _no_n_plus_one(settings) -> None:
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "zeal.middleware.zeal_middleware"]
    settings.ZEAL_RAISE = True
    # Framework lookups that repeat by design, not by a missing join.
    settings.ZEAL_ALLOWLIST = [{"model": "sessions.Session"}, {"model": "axes.*"}]


@pytest.fixture(autouse=True)
def _tasks_inline_unless_testing_the_worker(request):
    """Run Celery tasks in-process, except in tests marked `worker`.

    With REDIS_URL set, tests marked `worker` send tasks through the real broker to a
    real worker (tests/prfaq/test_worker.py). Every other test sees their effects at
    once, as on the embedded defaults, so its assertions mean the same in both runs.
    """
    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(params=[False, True], ids=["plain", "htmx"])
def hx(request) -> dict[str, str]:
    """Run a page test twice: as a normal request and as an htmx request."""
    return {"HTTP_HX_REQUEST": "true"} if request.param else {}


@pytest.fixture
def team(db) -> Team:
    return TeamFactory(name="Checkout", slug="checkout")


@pytest.fixture
def lead(team) -> User:
    return MembershipFactory(team=team, role=Role.LEAD).user


@pytest.fixture
def member(team) -> User:
    return MembershipFactory(team=team, role=Role.MEMBER).user


@pytest.fixture
def outsider(db) -> User:
    other = TeamFactory()
    return MembershipFactory(team=other).user


@pytest.fixture
def login():
    def _login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def user(db) -> User:
    return UserFactory()


@pytest.fixture
def proposal(team, lead):
    from prfaq import services

    return services.proposal_create(team=team, owner=lead, title="Hold the delivery slot")


def pytest_terminal_summary(terminalreporter):
    """Print the writing checks' precision and recall when the corpus test ran."""
    import sys

    corpus = sys.modules.get("tests.prfaq.test_checks_corpus")
    if corpus is None or not corpus.SCORES:
        return
    terminalreporter.section("writing checks on the labelled corpus")
    terminalreporter.write_line(f"{'rule':<26} precision  recall  cases")
    for rule, (precision, recall, cases) in sorted(corpus.SCORES.items()):
        terminalreporter.write_line(f"{rule:<26} {precision:9.2f}  {recall:6.2f}  {cases:5d}")

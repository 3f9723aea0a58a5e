"""Real Chromium through Playwright, against pytest-django's live server.

Chromium comes from Debian (/usr/bin/chromium); Playwright never downloads a browser.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
    if chromium_available() or os.environ.get("CI") == "true":
        return  # under CI a missing browser must fail loudly, not skip
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: install it with "
        "`sudo apt-get install -y chromium` to run the browser tests"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def console_errors(page):
    """Console errors and CSP violations the page reports; tests assert it stays empty."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture
def signed_in(live_server):
    """Sign a user into a browser context by session cookie (the login form has its own test)."""
    from django.conf import settings
    from django.test import Client

    def _sign_in(context, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return context

    return _sign_in


@pytest.fixture
def new_context(browser):
    """Extra browser contexts (other people), closed before the database is reset."""
    contexts = []

    def _new():
        context = browser.new_context()
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()

"""Settings come from the environment; each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"],
    "pool": db.get("OPTIONS", {}).get("pool"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "sessions": settings.SESSION_ENGINE,
    "debug": settings.DEBUG,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "hsts": settings.SECURE_HSTS_SECONDS,
}))
"""
CLEAR = ["DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"]


def probe(**env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in CLEAR}
    environ.update(env, DJANGO_SETTINGS_MODULE="prfaq.settings")
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environ, capture_output=True, text=True
    )


def test_defaults_need_nothing_installed():
    result = probe()
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["cache"].endswith("LocMemCache")
    assert values["eager"] is True
    assert values["sessions"] == "django.contrib.sessions.backends.db"
    assert values["debug"] is True
    assert values["ssl_redirect"] is False


def test_postgres_and_redis_from_the_environment():
    result = probe(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/prfaq",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["pool"]["max_size"] >= 1
    assert values["cache"].endswith("RedisCache")
    assert values["eager"] is False
    assert values["broker"] == "redis://127.0.0.1:6379/3"
    assert values["sessions"] == "django.contrib.sessions.backends.db"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0", "ALLOWED_HOSTS": "prfaq.example.com"}, "SECRET_KEY is not set"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS is not set"),
    ],
)
def test_production_refuses_to_start_without_secrets(env, message):
    result = probe(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_switches_on_transport_security():
    result = probe(DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="prfaq.example.com")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["ssl_redirect"] is True
    assert values["hsts"] >= 31536000


@pytest.mark.django_db
def test_this_run_uses_the_database_the_environment_names():
    expected = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    assert connection.vendor == expected
    assert settings.CELERY_TASK_ALWAYS_EAGER is not bool(os.environ.get("REDIS_URL"))

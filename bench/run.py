"""`make bench`: seed PostgreSQL, serve with gunicorn (production settings, 2 workers),
load each page with wrk, and report throughput and latency against a trivial view.

Reads DATABASE_URL and REDIS_URL (defaults: local PostgreSQL database prfaq_bench and
Redis db 1). Writes the table to stdout and to bench/results.md. Always exits 0:
numbers are reported, not asserted.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/prfaq_bench")
    e.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
    e.update(
        DEBUG="0", SECRET_KEY="bench-only-" + "x" * 40, ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0", SECURE_HSTS_SECONDS="0",
        DJANGO_SETTINGS_MODULE="prfaq.settings", LOG_LEVEL="WARNING",
    )  # fmt: skip
    return e


def manage(*args: str) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env(), check=True, capture_output=True, text=True
    ).stdout


def ensure_database() -> None:
    import psycopg

    url = env()["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_urls() -> dict[str, str]:
    """Session cookie of a bench user and the URLs of each page, from the seeded data."""
    script = r"""
import django, json
django.setup()
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db.models import Count
from accounts.models import User
from prfaq.models import Contract, Proposal
from reviews.models import Round
r = Round.objects.annotate(n=Count("comments")).order_by("-n").first()
p = r.proposal
user = p.team.memberships.exclude(user=p.owner).first().user
s = SessionStore()
s[SESSION_KEY] = str(user.pk); s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
s[HASH_SESSION_KEY] = user.get_session_auth_hash(); s.create()
launched = Proposal.objects.filter(team__memberships__user=user, status__in=["launched", "measured"]).first()
print(json.dumps({"cookie": f"{settings.SESSION_COOKIE_NAME}={s.session_key}", "memo": p.pk, "round": r.number, "comments": r.n,
                  "contract": (launched or p).pk}))
"""
    import json

    out = subprocess.run(
        [PY, "-c", script], cwd=ROOT, env=env(), check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def wrk(url: str, cookie: str) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--timeout", "10s", "-s", str(ROOT / "bench/wrk-report.lua"),
         "-H", f"Cookie: {cookie}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    match = re.search(
        r"RESULT rps=([\d.]+) p50=([\d.]+) p95=([\d.]+) errors=(\d+) non2xx=(\d+)", out
    )
    if not match:
        return {"rps": 0, "p50": 0, "p95": 0, "errors": -1, "non2xx": -1}
    rps, p50, p95, errors, non2xx = match.groups()
    return {
        "rps": float(rps),
        "p50": float(p50),
        "p95": float(p95),
        "errors": int(errors),
        "non2xx": int(non2xx),
    }


def machine() -> str:
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    return f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores{mem}"


def main() -> int:
    if not shutil.which("wrk"):
        print(
            "wrk is not installed: sudo apt-get install -y wrk (Debian/Ubuntu). Nothing measured."
        )
        return 0
    print(
        "Preparing the benchmark database (first run seeds it; that takes a few minutes)...",
        flush=True,
    )
    ensure_database()
    manage("migrate", "--noinput")
    print(manage("seed_bench").strip(), flush=True)
    manage("collectstatic", "--noinput")
    data = bench_urls()
    base = f"http://127.0.0.1:{PORT}"
    pages = {
        "trivial view (/healthz/live)": "/healthz/live",
        "dashboard": "/",
        "proposal list": "/proposals/",
        f"review round ({data['comments']} comments)": f"/proposals/{data['memo']}/rounds/{data['round']}/",
        "memo": f"/proposals/{data['memo']}/",
        "contract": f"/proposals/{data['contract']}/contract/",
        "funnel": "/funnel/",
        "search (?q=recipe)": "/proposals/?q=recipe",
    }
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "prfaq.wsgi:application", "--bind", f"127.0.0.1:{PORT}", "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=env(),
    )  # fmt: skip
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "/healthz/live", timeout=1)  # noqa: S310 - localhost
                break
            except OSError:
                time.sleep(0.2)
        results = {}
        for label, path in pages.items():
            wrk(base + path, data["cookie"])  # warm up caches and connections
            results[label] = wrk(base + path, data["cookie"])
            print(f"  measured {label}", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)

    trivial = results["trivial view (/healthz/live)"]
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}. gunicorn, 2 workers, production settings; wrk, 2 threads, "
        f"{CONNECTIONS} connections, {DURATION} per page after a warm-up run.",
        "",
        "| page | req/s | p50 ms | p95 ms | p95 × trivial | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, r in results.items():
        ratio = r["p95"] / trivial["p95"] if trivial["p95"] else 0
        lines.append(
            f"| {label} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {ratio:.1f} | {r['errors'] + r['non2xx']} |"
        )
    table = "\n".join(lines) + "\n"
    print("\n" + table)
    (ROOT / "bench" / "results.md").write_text(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

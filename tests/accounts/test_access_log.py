"""Gunicorn's access log, as production runs it, keeps link tokens out."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "tok3n-that-must-not-be-logged"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_access_log_redacts_invitation_and_reset_tokens(tmp_path):
    port = _free_port()
    log = tmp_path / "access.log"
    # An empty SQLite file: the pages fail, quickly, and every request is still logged.
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DEBUG": "1",
        "SQLITE_PATH": str(tmp_path / "empty.sqlite3"),
    }
    server = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
        [
            sys.executable, "-m", "gunicorn", "prfaq.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1",
            "--access-logfile", str(log),
            "--logger-class", "prfaq.gunicorn_logging.RedactingLogger",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    urls = [f"/invitations/{TOKEN}/", f"/accounts/reset/MQ/{TOKEN}/"]
    try:
        deadline = time.monotonic() + 30
        for url in urls:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{url}",
                headers={"Referer": f"http://example.com/invitations/{TOKEN}/"},
            )
            while True:
                try:
                    urllib.request.urlopen(request, timeout=10)  # noqa: S310 - ours
                except urllib.error.HTTPError:
                    pass  # any answer is logged
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)  # still starting
                    continue
                break
    finally:
        server.terminate()
        server.wait(timeout=10)
    written = log.read_text()
    assert written.count("[redacted]") >= 2 * len(urls), written  # path and referer
    assert TOKEN not in written

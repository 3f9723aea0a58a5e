"""Real things to break in fault tests: a private Redis, a Celery worker process, an SMTP
server that can be made to stall. Nothing here is a mock; each is a real server or
process on 127.0.0.1 that a test starts, kills and restarts.

Never touch the shared Redis on 6379: other runs use it. Each test starts its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

REDIS_SERVER = Path("/usr/bin/redis-server")
CELERY = Path(sys.executable).parent / "celery"
PROJECT = Path(__file__).resolve().parents[2]


def require_redis_server() -> None:
    """Skip without a redis-server binary to start; under CI its absence is a failure."""
    if REDIS_SERVER.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{REDIS_SERVER} is missing; CI must run the fault tests.")
    pytest.skip(f"needs {REDIS_SERVER} to start a private Redis it can kill")


def require_postgresql() -> None:
    """A worker in another process must see the test's rows: SQLite's test database
    lives in this process's memory, PostgreSQL's is shared."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): a worker process shares its database")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate: Callable[[], object], seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())


class HangError(AssertionError):
    pass


@contextlib.contextmanager
def returns_within(seconds: float, what: str) -> Iterator[None]:
    """A hang guard, not a speed test: fail if the block has not returned by then.

    SIGALRM interrupts a blocking socket call in the main thread, so a request stuck
    on a dead server ends the test instead of the run.
    """

    def _expired(signum, frame):
        raise HangError(f"{what} did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class RedisServer:
    """A redis-server of our own on a free port: no persistence, so a restart is empty."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed binary, our own arguments
            [
                str(REDIS_SERVER),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_for(self.answers, 10):
            self.kill()
            pytest.fail(f"redis-server on port {self.port} did not start")

    def kill(self) -> None:
        """SIGKILL: the server vanishes as in a crash, mid-whatever."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def client(self):
        import redis

        return redis.Redis(
            host="127.0.0.1", port=self.port, socket_connect_timeout=1, socket_timeout=1
        )

    def answers(self) -> bool:
        try:
            with contextlib.closing(self.client()) as client:
                return bool(client.ping())
        except Exception:
            return False

    def keys(self) -> list[bytes]:
        with contextlib.closing(self.client()) as client:
            return client.keys("*")


@contextlib.contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Point the Celery app at `url` and send tasks there (not eagerly); restore after.

    The app keeps broker connections in kombu's process-wide pools, one per broker.
    The app lets go of its handles on the way in (the old pools stay, for the way
    back); on the way out ours are closed and removed.
    """
    from kombu import pools
    from kombu.utils.collections import eqhash

    from prfaq.celery import app

    # A worker started in-process writes the read and write URLs into the app's
    # configuration too; put back exactly what was set before, nothing more.
    keys = ("broker_url", "broker_read_url", "broker_write_url", "task_always_eager")
    changes = app.conf.changes
    saved = {key: changes[key] for key in keys if key in changes}

    def let_go() -> None:
        app._pool = None
        if "amqp" in app.__dict__:
            app.amqp._producer_pool = None

    let_go()
    app.conf.update(
        broker_url=url, broker_read_url=url, broker_write_url=url, task_always_eager=False
    )
    try:
        yield
    finally:
        ours = eqhash(app.connection_for_write())
        for group in (pools.producers, pools.connections):
            pool = group.pop(ours, None)
            if pool is not None:
                pool.force_close_all()
        let_go()
        for key in keys:
            changes.pop(key, None)
        changes.update(saved)


def database_url() -> str:
    """The URL of the database this test runs on (the test database), for a worker."""
    from django.db import connection

    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    """`celery -A prfaq worker` as a separate process, on a private broker and queue."""

    def __init__(self, log: Path, env: dict[str, str], queue: str, pool: str = "solo") -> None:
        self.log = log
        self.env = env
        self.queue = queue
        self.pool = pool
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log.write_text("")
        name = f"faults-{uuid.uuid4().hex[:8]}@%h"
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own venv's celery
                [
                    str(CELERY),
                    "-A",
                    "prfaq",
                    "worker",
                    "--pool",
                    self.pool,
                    "--concurrency",
                    "1",
                    "--queues",
                    self.queue,
                    "--hostname",
                    name,
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel",
                    "INFO",
                ],
                cwd=PROJECT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        if not wait_for(lambda: " ready." in self.output() or self.process.poll() is not None, 30):
            self.stop()
            pytest.fail(f"the worker did not start:\n{self.output()[-3000:]}")
        if self.process.poll() is not None:
            pytest.fail(f"the worker exited at start:\n{self.output()[-3000:]}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def children(self) -> list[int]:
        """Pool processes (prefork) of the running worker."""
        pid = self.process.pid
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(child) for child in text.split()]

    def kill(self) -> None:
        """SIGKILL the worker: no warm shutdown, nothing acknowledged or given back."""
        self.process.kill()
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def worker_env(*, redis_url: str, queue: str, **extra: str) -> dict[str, str]:
    """The worker's environment: this run's settings, the test database, our broker."""
    env = {k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="prfaq.settings",
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url,
        CELERY_QUEUE=queue,
        CACHE_KEY_PREFIX=queue,
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


class SMTPServer:
    """A small SMTP server that records each message it accepts.

    While held, a new session gets no greeting: the sender sits inside its mail
    backend, mid-task, until released (or killed). `refusals` sessions are turned
    away first with 421, as a busy or restarting mail server does.
    """

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.messages: list[bytes] = []
        self.sessions = 0
        self.refusals = 0
        self._open = threading.Event()
        self._open.set()
        self._lock = threading.Lock()
        self._closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def close(self) -> None:
        self._closing = True
        self._open.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn: socket.socket) -> None:
        with self._lock:
            self.sessions += 1
            refuse, self.refusals = self.refusals > 0, max(0, self.refusals - 1)
        self._open.wait()
        with contextlib.suppress(OSError), conn, conn.makefile("rb") as lines:
            if refuse:
                conn.sendall(b"421 faults.test busy, try again later\r\n")
                return
            conn.sendall(b"220 faults.test ESMTP\r\n")
            while line := lines.readline():
                verb = line[:4].upper()
                if verb == b"DATA":
                    conn.sendall(b"354 go ahead\r\n")
                    body = []
                    while (part := lines.readline()) not in (b".\r\n", b""):
                        body.append(part)
                    if part == b"":
                        return  # the sender died mid-message: nothing was delivered
                    with self._lock:
                        self.messages.append(b"".join(body))
                    conn.sendall(b"250 queued\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")

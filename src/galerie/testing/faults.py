"""Helpers of the fault tests: real `galerie` processes on pytest-django's PostgreSQL test database
(data committed by a transactional test is theirs too), a row lock held from a connection of the
test's own to stop them at a chosen point, and `kill -9`.

Waiting on a row lock leaves the killed process's work inside its open transaction: what the
tests then check is what PostgreSQL kept of it once the process is gone.
"""

import http.client
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from galerie.testing.processes import alive, free_port, wait_until


def database_url() -> str:
    """DATABASE_URL of the test database (pytest-django's `test_…`, once it is set up)."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def process_env(var_dir: Path) -> dict[str, str]:
    """The environment of a `galerie` process on the test database: plain http on loopback,
    no card simulator, no Redis (the Redis faults are tested apart), mail dropped."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_REPLICA_URL")}
    env.pop("GALERIE_PAYMENT_SIMULATOR", None)
    env.update(
        DATABASE_URL=database_url(),
        DJANGO_SETTINGS_MODULE="galerie.settings",
        GALERIE_VAR_DIR=str(var_dir),
        GALERIE_HTTPS="0",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    return env


def galerie_start(env: dict, *args: str, log: Path) -> subprocess.Popen:
    """Start `galerie <args>` in a session of its own, its output in `log`."""
    with open(log, "ab") as out:
        return subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-m", "galerie.cli", *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def kill9(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not alive(pid), timeout=10, what=f"process {pid} gone after SIGKILL")


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(child) for child in path.read_text().split()]
    except FileNotFoundError:
        return []


def connect():
    """A psycopg connection of the test's own to the test database (autocommit off)."""
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        dbname=db["NAME"],
    )


@contextmanager
def row_lock(sql: str, params: tuple):
    """Hold the row lock of `sql` (a SELECT … FOR UPDATE) until the block ends; yields the
    locking backend's pid."""
    with connect() as conn:
        rows = conn.execute(sql, params).fetchall()
        assert rows, f"nothing to lock: {sql} {params}"
        try:
            yield conn.info.backend_pid
        finally:
            conn.rollback()


def lock_waiters() -> list[int]:
    """Backends of the test database waiting for a lock (our row lock, by design)."""
    with connect() as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        ).fetchall()
    return [pid for (pid,) in rows]


def backends_gone(pids: list[int], timeout: float = 30) -> None:
    """Wait until PostgreSQL has ended these backends (and rolled back their transactions)."""

    def gone():
        with connect() as conn:
            rows = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", (pids,)
            ).fetchone()
        return rows[0] == 0

    wait_until(gone, timeout=timeout, what=f"backends {pids} ended")


def wait_for_lock_waiter(process: subprocess.Popen, log: Path, timeout: float = 60) -> list[int]:
    def waiting():
        assert process.poll() is None, log.read_text()[-3000:]
        return lock_waiters()

    return wait_until(waiting, timeout=timeout, what="a process waiting on the held row lock")


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else ""


def http_get(port: int, path: str, *, host: str, timeout: float = 30) -> tuple[int, dict, str]:
    """GET `path` from the server on `port` as `host`: (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


@contextmanager
def serving(env: dict, log: Path, *, host: str):
    """`galerie serve` with one gunicorn worker, one thread, until the block ends: yields
    (port, master process) once `host`'s home page answers 200."""
    port = free_port()
    args = ("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1")
    process = galerie_start(env, *args, "--threads", "1", log=log)

    def up():
        assert process.poll() is None, tail(log)
        try:
            return http_get(port, "/", host=host, timeout=5)[0] == 200
        except OSError:
            return False

    try:
        wait_until(up, timeout=60, what="galerie serve answering")
        yield port, process
    finally:
        stop(process)

"""`galerie demo`'s child processes: the web server and the background task worker, started and
stopped together, so that feed imports, payouts and webhooks run in the demo and no worker
outlives it (Ctrl-C, SIGTERM or SIGHUP of the demo, or either child exiting, stops both)."""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from galerie.core.workers import task_worker_argv

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_PR_SET_PDEATHSIG = 1


def worker_command() -> list[str]:
    """The `galerie` command that runs the tasks of settings.TASKS' default backend."""
    return task_worker_argv()


def _die_with_parent() -> None:  # pragma: no cover — runs in the child, between fork and exec
    """Linux: the child gets SIGTERM if the demo dies without stopping it (kill -9). Kept across
    `galerie serve`'s exec into gunicorn."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Children:
    """Processes that live and die together. Use as a context manager: Ctrl-C, SIGTERM and SIGHUP
    are caught from entry (they stop the children instead of killing the demo alone), and on exit
    every child still running gets SIGTERM and is waited for; a second signal kills them."""

    def __init__(self, *, write: Callable[[str], None]):
        self.write = write
        self.processes: dict[str, subprocess.Popen] = {}
        self._stop = threading.Event()
        self._signals = 0
        self._previous: dict[int, object] = {}

    def _on_signal(self, signum, frame) -> None:
        self._signals += 1
        self._stop.set()

    def __enter__(self) -> Children:
        for signum in STOP_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._on_signal)
        return self

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        """Start `galerie <argv>` in a session of its own: the terminal's Ctrl-C reaches the demo
        only, which then sends each child one SIGTERM (db_worker takes a second stop signal as
        "abandon the task in progress", so it must not get the terminal's as well)."""
        process = subprocess.Popen(  # noqa: S603 — our own command, fixed arguments
            [sys.executable, "-m", "galerie.cli", *argv],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self.processes[name] = process
        return process

    def wait(self) -> str | None:
        """Block until a stop signal (returns None) or until a child exits (returns its name)."""
        while not self._stop.wait(0.5):
            for name, process in self.processes.items():
                if process.poll() is not None:
                    return name
        return None

    def __exit__(self, *exc_info) -> None:
        try:
            running = [p for p in self.processes.values() if p.poll() is None]
            for process in running:
                process.terminate()
            signals_seen, told = self._signals, False
            notice_at = time.monotonic() + 2
            while any(p.poll() is None for p in running):
                if self._signals > signals_seen:
                    for process in running:
                        if process.poll() is None:
                            process.kill()
                elif not told and time.monotonic() > notice_at:
                    self.write(
                        "Arrêt : le serveur et le worker finissent ce qu'ils font "
                        "(Ctrl-C de nouveau pour les arrêter tout de suite)."
                    )
                    told = True
                time.sleep(0.1)
        finally:
            for signum, handler in self._previous.items():
                signal.signal(signum, handler)

"""Helpers for tests that start real processes (`galerie demo`, `galerie serve`)."""

import socket
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def alive(pid: int) -> bool:
    """False once the process is gone or a zombie (a container's init may never reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def wait_until(predicate, *, timeout: float, what: str, output: list[str] | None = None):
    """predicate()'s first true value, polled for `timeout` seconds; else fail, with the last
    lines of `output` (a process's collected output) to say why."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    tail = "".join(output[-40:]) if output else ""
    raise AssertionError(f"{what}: not within {timeout:.0f} s\n{tail}")

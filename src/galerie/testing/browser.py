"""Playwright driving Debian's Chromium, for the browser journeys (`pytest -m browser`)."""

import gc
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@contextmanager
def chromium(monkeypatch):
    """A launched Chromium for one test; fails (never skips) when Chromium is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium) "
            "to run the browser journeys."
        )
    # Playwright's sync API runs an event loop beside the test; the test's own ORM reads are
    # plain synchronous calls made between browser steps.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        _close_stray_connections()


def _close_stray_connections() -> None:
    """Playwright's greenlets give the test a second context, so Django opens a second
    connection in this thread that the test database's teardown never sees, and PostgreSQL
    refuses to drop a database still in use. Close every connection of this thread."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    me = threading.get_ident()
    for wrapper in [o for o in gc.get_objects() if isinstance(o, BaseDatabaseWrapper)]:
        if wrapper.connection is not None and wrapper._thread_ident == me:
            wrapper.close()

"""The first hour, in a real browser against the real `galerie demo`: the seller logs in on the
portal with the login the demo printed, uploads the sample Merchant Center feed, watches the
demo's own task worker import it to 100 %, and a shopper finds the new offer on the storefront.
Stopping the demo (Ctrl-C) stops its worker and its server too.

The demo runs as a subprocess on a SQLite file in a temporary var/ (what `galerie demo` does on
a fresh clone), without the simulated year of trading (minutes of work, not needed here).
"""

import csv
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from galerie.imports.tests.conftest import SAMPLE  # the same file as ../shared/data's sample
from galerie.testing.browser import chromium
from galerie.testing.processes import alive, free_port, wait_until

pytestmark = pytest.mark.browser

# What `galerie demo` prints: "Portail vendeur (NAME) : URL (LOGIN / PASSWORD, enregistré dans …)".
SELLER_LINE = re.compile(
    r"Portail vendeur \((?P<seller>[^)]+)\) : (?P<url>http://\S+) "
    r"\((?P<login>\S+) / (?P<password>\S+), enregistré"
)
WORKER_LINE = re.compile(r"Tâches en arrière-plan .*processus (?P<pid>\d+)")
SERVER_LINE = re.compile(r"\[(?P<pid>\d+)\] \[INFO\] Starting gunicorn")


class Demo:
    """`galerie demo` in a subprocess; its output (with its children's) collected line by line."""

    def __init__(self, var_dir: Path):
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(
            GALERIE_VAR_DIR=str(var_dir), GALERIE_DEMO_SIMULATION="off", PYTHONUNBUFFERED="1"
        )
        env.pop("GALERIE_DEBUG", None)
        self.process = subprocess.Popen(  # noqa: S603 — our own command
            [sys.executable, "-m", "galerie.cli", "demo", "--port", str(self.port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def find(self, pattern: re.Pattern, timeout: float = 90) -> re.Match:
        def found():
            assert self.process.poll() is None, "galerie demo exited:\n" + "".join(self.lines)
            return next(filter(None, map(pattern.search, self.lines)), None)

        return wait_until(found, timeout=timeout, what=pattern.pattern, output=self.lines)

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5) as response:  # noqa: S310
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def demo(tmp_path):
    (tmp_path / "var").mkdir()
    running = Demo(tmp_path / "var")
    try:
        yield running
    finally:
        running.stop()


def a_feed_book() -> dict:
    """The first row of the sample feed filed under a category the demo mall has."""
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return next(row for row in rows if row["product_type"] == "Livres > Romans")


def test_a_seller_uploads_the_sample_feed_and_shoppers_see_its_offers(demo, monkeypatch):
    from playwright.sync_api import expect

    seller = demo.find(SELLER_LINE)
    worker_pid = int(demo.find(WORKER_LINE)["pid"])
    server_pid = int(demo.find(SERVER_LINE)["pid"])
    wait_until(demo.answers, timeout=60, what="the demo's server", output=demo.lines)
    assert alive(worker_pid) and alive(server_pid)
    book = a_feed_book()

    with chromium(monkeypatch) as browser:
        page = browser.new_page()
        page.set_default_timeout(20_000)
        # The seller logs in where and as the demo said.
        page.goto(seller["url"])
        page.get_by_label("Adresse e-mail").fill(seller["login"])
        page.get_by_label("Mot de passe").fill(seller["password"])
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(seller["url"])
        assert seller["seller"] in page.content()

        # … uploads the sample feed …
        page.get_by_role("link", name="Imports de catalogue").click()
        page.get_by_label("Flux Google Merchant Center").set_input_files(str(SAMPLE))
        page.get_by_role("button", name="Importer le flux").click()
        page.wait_for_url(re.compile(r"/vendeur/catalogue/flux/\d+/$"))

        # … and the demo's worker imports it while the page follows (htmx polling).
        job = page.locator("#feed-job")
        expect(job).to_contain_text("terminé", timeout=60_000)
        expect(job.get_by_role("progressbar")).to_have_attribute("value", "100")
        imported = job.get_by_role("row", name="Lignes importées").get_by_role("cell").inner_text()
        assert int(re.sub(r"\D", "", imported)) > 0, (
            "no row of the sample feed imported: are its categories (Livres > Romans …) mapped "
            "to the demo's automatically?\n" + job.inner_text()[:1500]
        )

        # A shopper finds the new offer on the culture storefront.
        shop = f"http://galerie.localhost:{demo.port}"
        page.goto(f"{shop}/recherche/?q={book['gtin']}")
        page.locator(".product-title", has_text=book["title"]).click()
        page.wait_for_url(re.compile(r"/p/[^/]+/$"))
        assert page.locator("h1").inner_text() == book["title"]
        offers = page.content()
        assert seller["seller"] in offers
        price = book["sale_price"] or book["price"]
        assert price.split()[0].replace(".", ",") in offers

    # Ctrl-C stops the demo, its worker and its server: nothing is left running.
    demo.stop()
    assert demo.process.returncode == 0, "".join(demo.lines[-20:])
    wait_until(lambda: not alive(worker_pid), timeout=10, what="the worker to exit")
    wait_until(lambda: not alive(server_pid), timeout=10, what="the server to exit")

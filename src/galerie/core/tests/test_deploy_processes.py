"""docs/deploy.md, followed: the web server, the task worker and the scheduler start as three
processes from the commands of deploy/systemd/*.service (their ExecStart= and Environment=
lines, read here, so the units and this test cannot drift), and a guest buys through them.

The purchase is paid on the simulated card provider with its webhooks queued as tasks
(GALERIE_PAYMENT_WEBHOOKS=task, as a real provider's asynchronous notification): the order is
paid only once the worker has run that task. The scheduler's first round enqueues every
maintenance command, which the worker runs too.

The processes share a database of their own, a copy of the test database once the shop is in
it: a SQLite file made with the online backup API, or on PostgreSQL a database created from the
test database as template. The one change to the documented web command: --allow-simulator."""

import http.client
import json
import os
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.db import connection, connections

from galerie.core.schedule import SCHEDULE
from galerie.pricing.services import tax_rates_ensure
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]

UNITS = Path(__file__).resolve().parents[4] / "deploy" / "systemd"
INSTALLED_GALERIE = "/srv/galerie/.venv/bin/galerie"
SHOP = "galerie.localhost"
TIMEOUT = 60


def unit_command(unit: str, env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """The unit's ExecStart= as systemd runs it: its Environment= added, ${VAR} expanded, and
    the installed `galerie` replaced by this environment's."""
    text = (UNITS / unit).read_text()
    env = dict(env)
    for line in re.findall(r"^Environment=(.+)$", text, flags=re.MULTILINE):
        for assignment in shlex.split(line):
            name, _, value = assignment.partition("=")
            env.setdefault(name, value)  # the test's own values (a free port) win
    (command,) = re.findall(r"^ExecStart=(.+)$", text, flags=re.MULTILINE)
    command = re.sub(r"\$\{(\w+)\}", lambda match: env[match.group(1)], command)
    argv = shlex.split(command)
    assert argv[0] == INSTALLED_GALERIE, f"{unit} should start {INSTALLED_GALERIE}"
    return [str(Path(sys.executable).parent / "galerie"), *argv[1:]], env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of a browser for the API and the provider's page: a host, cookies."""

    def __init__(self, port: int, host: str):
        self.port, self.host, self.cookies = port, host, {}

    def request(self, method, path, *, json_body=None, form=None, headers=None):
        connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if json_body is not None:
            body, sent["Content-Type"] = json.dumps(json_body), "application/json"
        if form is not None:
            body, sent["Content-Type"] = urlencode(form), "application/x-www-form-urlencoded"
        try:
            connection_.request(method, path, body=body, headers=sent)
            response = connection_.getresponse()
            payload = response.read()
        finally:
            connection_.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return response.status, response.headers, payload


@pytest.fixture
def shop():
    tax_rates_ensure()  # the seeded VAT rates, which a transactional test's flush drops
    books = make_category("Livres", slug="livres")
    make_storefront("galerie", name="Galerie Culture", categories=[books])
    seller = make_seller("Librairie du Marché", slug="librairie-du-marche")
    return make_offer(
        make_product("Germinal", slug="germinal", category=books),
        seller=seller,
        price="9.20",
        stock=5,
        sku="GERM-1",
    )


@pytest.fixture
def deployed_database(tmp_path):
    """The test database, copied for the three processes: (environment, query function)."""
    var = tmp_path / "var"
    var.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(GALERIE_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="galerie.settings")
    if connection.vendor == "sqlite":
        path = var / "galerie.sqlite3"
        copy = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(copy)
        copy.close()

        def query(sql):
            with sqlite3.connect(path, timeout=20) as db:
                return db.execute(sql).fetchall()

        yield env, query
        return
    base = connection.settings_dict
    name = f"{base['NAME'][:40]}_deploy_{uuid.uuid4().hex[:6]}"
    dsn = {
        "host": base["HOST"],
        "port": base["PORT"] or 5432,
        "user": base["USER"],
        "password": base["PASSWORD"] or None,
    }
    connections.close_all()  # a template database must have no other session (any alias)
    with psycopg.connect(**dsn, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{base["NAME"]}"')
    password = f":{base['PASSWORD']}" if base["PASSWORD"] else ""
    env["DATABASE_URL"] = f"postgres://{base['USER']}{password}@{dsn['host']}:{dsn['port']}/{name}"

    def query(sql):
        with psycopg.connect(**dsn, dbname=name) as db:
            return db.execute(sql).fetchall()

    yield env, query
    with psycopg.connect(**dsn, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def processes(deployed_database, tmp_path):
    env, _query = deployed_database
    env = {
        **env,
        "PORT": str(_free_port()),
        "WEB_WORKERS": "1",
        "GALERIE_HTTPS": "0",  # plain http on loopback: nginx ends TLS in the documented setup
        "GALERIE_PAYMENT_SIMULATOR": "1",
        "GALERIE_PAYMENT_WEBHOOKS": "task",
    }
    started = {}
    try:
        for name in ("web", "worker", "scheduler"):
            argv, unit_env = unit_command(f"galerie-{name}.service", env)
            if name == "web":
                argv.append("--allow-simulator")
            log = (tmp_path / f"{name}.log").open("w")
            started[name] = (
                subprocess.Popen(  # noqa: S603 — the units' own commands
                    argv, env=unit_env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path
                ),
                tmp_path / f"{name}.log",
            )
        yield int(env["PORT"]), started
    finally:
        for process, _log in started.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, (process, log) in started.items():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                pytest.fail(f"{name} did not stop on SIGTERM:\n{log.read_text()[-2000:]}")


def _until(what, check, started):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        for name, (process, log) in started.items():
            assert process.poll() is None, f"{name} exited:\n{log.read_text()[-3000:]}"
        result = check()
        if result:
            return result
        time.sleep(0.3)
    logs = "\n".join(f"--- {n}\n{log.read_text()[-1500:]}" for n, (_p, log) in started.items())
    raise AssertionError(f"{what}: not within {TIMEOUT} s\n{logs}")


def test_web_worker_and_scheduler_from_the_units_sell_and_maintain(
    shop, deployed_database, processes
):
    _env, query = deployed_database
    port, started = processes
    buyer = Browser(port, SHOP)

    def up():
        try:
            return buyer.request("GET", "/")[0] == 200
        except OSError:
            return False

    _until("the web server answers", up, started)

    # A guest's purchase, as docs/api.md shows it.
    status, headers, body = buyer.request(
        "POST", "/api/cart/lines", json_body={"offer_id": shop.pk, "quantity": 1}
    )
    assert status == 201, body
    cart = headers["X-Cart-Token"]
    status, _headers, body = buyer.request(
        "POST",
        "/api/checkout/orders",
        headers={"X-Cart-Token": cart, "Idempotency-Key": uuid.uuid4().hex},
        json_body={
            "email": "marie@example.fr",
            "payment_method": "card",
            "shipping_address": {
                "name": "Marie Curie",
                "line1": "11 rue Pierre et Marie Curie",
                "postcode": "75005",
                "city": "Paris",
                "country": "FR",
            },
        },
    )
    assert status in (200, 201), body
    order = json.loads(body)
    pay_url = order["payment"]["redirect_url"]
    assert buyer.request("GET", pay_url)[0] == 200
    status, headers, _body = buyer.request(
        "POST",
        pay_url,
        form={"card_number": "4242424242424242"},
        headers={"X-CSRFToken": buyer.cookies["csrftoken"]},
    )
    assert status == 302 and "paiement=succeeded" in headers["Location"]

    # Paid only when the worker has delivered the provider's queued webhook.
    def paid():
        status, _headers, body = buyer.request("GET", f"/api/orders/{order['public_id']}")
        return status == 200 and json.loads(body)["status"] == "paid"

    _until("the worker delivers the payment's webhook", paid, started)

    # The scheduler's first round: each maintenance command enqueued once, and run by the worker.
    active = sum(1 for job in SCHEDULE if job.when())

    def maintained():
        rows = query(
            "SELECT status FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'galerie.core.schedule.maintenance_command_run'"
        )
        return len(rows) == active and {row[0] for row in rows} == {"SUCCESSFUL"}

    _until("the worker runs the scheduler's maintenance tasks", maintained, started)
    assert query("SELECT COUNT(*) FROM core_scheduledjob") == [(active,)]
    assert query("SELECT status FROM orders_order") == [("paid",)]

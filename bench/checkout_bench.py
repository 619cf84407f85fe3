"""Checkout benchmark on PostgreSQL: sequential and concurrent buyers over HTTP, and the
in-process service time of the place request.

A buyer, like an API client, opens a session (one page view for the session and CSRF cookies),
adds one offer (1 or 2 units) to a new cart (POST /api/cart/lines), places the order
(POST /api/checkout/orders with an Idempotency-Key) and, with `--pay card` (the default), pays it
on the simulated provider's hosted page with the test card 4242… (the webhook is delivered
inline on commit, as in the tests): the order is then paid. One in ten orders is submitted a
second time with the same key (a double click): it must answer the same order, replayed.

Phases (`--phases`, default `service,sequential,concurrent`):
- service: one process, Django's test client, `--service-orders` purchases; wall and CPU time
  and the query count of each place request (the figure the machine's load disturbs least);
- sequential: ONE client, one purchase after another, for `--seconds`;
- concurrent: `--buyers` clients at once, for `--seconds`.

At the end the script checks, per offer, that the units in standing orders never exceed the
initial stock (oversold units must be 0), that every unit is explained by a stock movement,
that no idempotency key made two orders (duplicates must be 0) and that the ledger balances.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/checkout_bench uv run galerie migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/checkout_bench \
        uv run python bench/checkout_bench.py --seconds 20 --buyers 16 --workers 4

The database is modified (a "bench…" storefront and offers are added). A gunicorn server
(`galerie serve`) is started on --port for the HTTP phases and stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")
os.environ.setdefault("GALERIE_HTTPS", "0")  # plain http on loopback
os.environ.setdefault("GALERIE_PAYMENT_SIMULATOR", "1")  # the card's test provider
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Sum  # noqa: E402

from galerie.demo.processes import worker_command  # noqa: E402
from galerie.inventory.models import StockMovement  # noqa: E402
from galerie.orders.models import Order, OrderLine  # noqa: E402
from galerie.sellers.models import Offer  # noqa: E402
from galerie.testing.factories import (  # noqa: E402
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

ADDRESS = {"name": "Bench Buyer", "line1": "1 rue du Test", "postcode": "75010", "city": "Paris"}
CARD = {"card_number": "4242424242424242", "expiry": "12/30", "cvc": "123"}
DOUBLE_SUBMIT_EVERY = 10


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * q))] * 1000, 1)


def setup(run: str, offers: int, stock: int) -> tuple[str, list[int], dict[int, int]]:
    category = make_category(f"Bench {run}", slug=f"bench-{run}")
    storefront = make_storefront(f"bench{run}", categories=[category])
    sellers = [make_seller(f"Bench seller {run}-{i}", slug=f"bench-{run}-{i}") for i in range(4)]
    ids, initial = [], {}
    for i in range(offers):
        product = make_product(
            f"Bench product {run}-{i}", category=category, slug=f"b-{run}-{i}", gtin=None
        )
        offer = make_offer(product, seller=sellers[i % 4], price=Decimal("12.50"), stock=stock)
        ids.append(offer.pk)
        initial[offer.pk] = stock
    connection.close()
    return storefront.hosts.first().hostname, ids, initial


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.place: list[float] = []
        self.purchase: list[float] = []
        self.outcomes: dict[str, int] = {}
        self.keys: dict[str, set[str]] = {}  # idempotency key → order ids answered

    def count(self, key):
        with self.lock:
            self.outcomes[key] = self.outcomes.get(key, 0) + 1


class HttpBuyer(threading.Thread):
    """One API client: session, add to cart, place, (double submit), pay on the hosted page."""

    def __init__(self, port, host, offer_ids, deadline, stats: Stats, pay: str, seed: int):
        super().__init__(daemon=True)
        self.cookies: dict[str, str] = {}
        self.port, self.host, self.offer_ids, self.deadline = port, host, offer_ids, deadline
        self.stats, self.pay, self.rng = stats, pay, random.Random(seed)

    def request(self, conn, method, path, body=None, headers=None, form=False):
        if form:
            data = urlencode(body).encode()
            kind = "application/x-www-form-urlencoded"
        else:
            data = json.dumps(body).encode() if body is not None else None
            kind = "application/json"
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(
            method,
            path,
            body=data,
            headers={
                "Host": self.host,
                "Content-Type": kind,
                "Cookie": cookie,
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
                **(headers or {}),
            },
        )
        response = conn.getresponse()
        payload = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, response, payload

    def purchase(self, conn) -> None:
        self.cookies = {}
        self.request(conn, "GET", "/panier/")  # the session and CSRF cookies
        offer_id = self.rng.choice(self.offer_ids)
        quantity = self.rng.choice((1, 1, 2))
        started = time.perf_counter()
        status, response, payload = self.request(
            conn, "POST", "/api/cart/lines", {"offer_id": offer_id, "quantity": quantity}
        )
        if status != 201:
            self.stats.count(f"add_{status}_{json.loads(payload).get('code')}")
            return
        headers = {
            "X-Cart-Token": response.getheader("X-Cart-Token"),
            "Idempotency-Key": str(uuid.uuid4()),
        }
        body = {
            "email": "bench@example.fr",
            "shipping_address": ADDRESS,
            "payment_method": "card" if self.pay == "card" else "transfer",
        }
        placing = time.perf_counter()
        status, _r, payload = self.request(conn, "POST", "/api/checkout/orders", body, headers)
        placed = time.perf_counter()
        if status != 201:
            self.stats.count(f"place_{status}_{json.loads(payload).get('code')}")
            return
        answer = json.loads(payload)
        answers = {answer["public_id"]}
        if self.rng.randrange(DOUBLE_SUBMIT_EVERY) == 0:
            status, _r, payload = self.request(conn, "POST", "/api/checkout/orders", body, headers)
            again = json.loads(payload)
            answers.add(again.get("public_id", f"status {status}"))
            self.stats.count("double_submit_replayed" if again.get("replayed") else "double_bad")
        if self.pay == "card":
            path = urlsplit(answer["payment"]["redirect_url"]).path
            form = {**CARD, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            status, _r, payload = self.request(conn, "POST", path, form, form=True)
            if status not in (200, 302):
                self.stats.count(f"pay_{status}")
                return
        done = time.perf_counter()
        with self.stats.lock:
            self.stats.place.append(placed - placing)
            self.stats.purchase.append(done - started)
            self.stats.keys.setdefault(headers["Idempotency-Key"], set()).update(answers)
        self.stats.count("purchased")

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while time.monotonic() < self.deadline:
            try:
                self.purchase(conn)
            except (OSError, http.client.HTTPException) as exc:
                self.stats.count(f"error_{type(exc).__name__}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.close()


def http_phase(name, args, port, host, offer_ids, buyers: int) -> dict:
    stats = Stats()
    load_before = loadavg()
    started = time.monotonic()
    threads = [
        HttpBuyer(port, host, offer_ids, started + args.seconds, stats, args.pay, seed=i)
        for i in range(buyers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    done = stats.outcomes.get("purchased", 0)
    return {
        "phase": name,
        "buyers": buyers,
        "seconds": round(duration, 1),
        "checkouts": done,
        "checkouts_per_second": round(done / duration, 1),
        "place_p50_ms": pct(stats.place, 0.5),
        "place_p99_ms": pct(stats.place, 0.99),
        "purchase_p50_ms": pct(stats.purchase, 0.5),
        "purchase_p99_ms": pct(stats.purchase, 0.99),
        "keys_answered_with_two_orders": sum(len(v) > 1 for v in stats.keys.values()),
        "outcomes": stats.outcomes,
        "loadavg_before": load_before,
        "loadavg_after": loadavg(),
    }


class QueryCounter:
    """Counts the statements of the place request and the time spent waiting on them (the
    request_started signal empties connection.queries, so CaptureQueriesContext sees none)."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def service_phase(args, host, offer_ids) -> dict:
    """Purchases through Django's test client in this process: the place request's own cost."""
    from django.test import Client

    settings.DEBUG = False
    rng = random.Random(1)
    walls, cpus, queries, purchases, db_times, purchase_cpus = [], [], [], [], [], []
    for i in range(args.warmup + args.service_orders):
        client = Client(HTTP_HOST=host)
        client.get("/panier/")
        began, began_cpu = time.perf_counter(), time.process_time()
        added = client.post(
            "/api/cart/lines",
            {"offer_id": rng.choice(offer_ids), "quantity": 1},
            content_type="application/json",
        )
        assert added.status_code == 201, added.content
        body = {
            "email": "bench@example.fr",
            "shipping_address": ADDRESS,
            "payment_method": "card" if args.pay == "card" else "transfer",
        }
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            wall, cpu = time.perf_counter(), time.process_time()
            placed = client.post(
                "/api/checkout/orders",
                body,
                content_type="application/json",
                HTTP_X_CART_TOKEN=added["X-Cart-Token"],
                HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            )
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert placed.status_code == 201, placed.content
        if args.pay == "card":
            path = urlsplit(placed.json()["payment"]["redirect_url"]).path
            paid = client.post(path, CARD)
            assert paid.status_code in (200, 302), paid
        if i >= args.warmup:
            walls.append(wall)
            cpus.append(cpu)
            queries.append(counter.count)
            db_times.append(counter.seconds)
            purchases.append(time.perf_counter() - began)
            purchase_cpus.append(time.process_time() - began_cpu)
    return {
        "phase": "service (in-process, test client)",
        "orders": len(walls),
        "place_wall_p50_ms": pct(walls, 0.5),
        "place_wall_p99_ms": pct(walls, 0.99),
        "place_cpu_p50_ms": pct(cpus, 0.5),
        "place_cpu_mean_ms": round(statistics.mean(cpus) * 1000, 1),
        "place_queries": sorted(set(queries)),
        "place_db_wait_p50_ms": pct(db_times, 0.5),
        "purchase_wall_p50_ms": pct(purchases, 0.5),
        "purchase_cpu_p50_ms": pct(purchase_cpus, 0.5),
        "loadavg": loadavg(),
    }


def wait_for(port, host, seconds=60):
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/cart", headers={"Host": host})
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("server did not start")


def serve(args) -> subprocess.Popen:
    argv = [sys.executable, "-m", "galerie.cli", "serve", "--host", "127.0.0.1"]
    argv += ["--port", str(args.port), "--workers", str(args.workers)]
    argv += ["--threads", str(args.threads), "--allow-simulator"]
    return subprocess.Popen(argv, env=dict(os.environ), cwd=ROOT, stdout=subprocess.DEVNULL)


def checks(offer_ids, initial, keys_twice: int) -> dict:
    connection.close()
    ordered = dict(
        OrderLine.objects.filter(offer_id__in=offer_ids)
        .exclude(order__status="cancelled")
        .values_list("offer_id")
        .annotate(units=Sum("quantity"))
    )
    stocks = dict(Offer.objects.filter(pk__in=offer_ids).values_list("pk", "stock"))
    moves = dict(
        StockMovement.objects.filter(offer_id__in=offer_ids)
        .values_list("offer_id")
        .annotate(total=Sum("delta"))
    )
    oversold = sum(max(0, ordered.get(pk, 0) - initial[pk]) for pk in offer_ids)
    unexplained = sum(
        1
        for pk in offer_ids
        if initial[pk] + moves.get(pk, 0) != stocks[pk]
        or initial[pk] - stocks[pk] != ordered.get(pk, 0)
    )
    orders = Order.objects.filter(lines__offer_id__in=offer_ids).distinct()
    same_key = (
        Order.objects.filter(pk__in=orders.values("pk"))
        .values("idempotency_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    ledger = subprocess.run(
        [sys.executable, "-m", "galerie.cli", "ledger-check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return {
        "orders": orders.count(),
        "paid_orders": orders.filter(status="paid").count(),
        "units_in_stock_at_start": sum(initial.values()),
        "units_sold": sum(ordered.values()),
        "oversold_units": oversold,
        "offers_with_unexplained_stock": unexplained,
        "duplicates": same_key + keys_twice,
        "ledger_check": "clean" if ledger.returncode == 0 else ledger.stdout[-500:],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--phases", default="service,sequential,concurrent")
    parser.add_argument("--buyers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--offers", type=int, default=20)
    parser.add_argument("--stock", type=int, default=5000)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--pay", choices=("card", "transfer"), default="card")
    parser.add_argument("--service-orders", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--no-server", action="store_true", help="a server already listens")
    parser.add_argument(
        "--mails",
        choices=("inline", "task"),
        default="task",
        help="order e-mails in the request, or by a task worker started beside the server",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a migrated PostgreSQL database.")
    phases = args.phases.split(",")
    os.environ["GALERIE_ORDER_EMAILS"] = args.mails
    settings.GALERIE_ORDER_EMAILS = args.mails
    run = uuid.uuid4().hex[:6]
    host, offer_ids, initial = setup(run, args.offers, args.stock)
    results = {
        "server": f"gunicorn {args.workers} workers × {args.threads} threads",
        "pay": args.pay,
        "loadavg_start": loadavg(),
        "phases": [],
    }
    if "service" in phases:
        results["phases"].append(service_phase(args, host, offer_ids))
        connection.close()
    keys_twice = 0
    http_phases = [p for p in phases if p in ("sequential", "concurrent")]
    if http_phases:
        server = None if args.no_server else serve(args)
        worker = None
        if args.mails == "task":
            worker = subprocess.Popen(
                [sys.executable, "-m", "galerie.cli", *worker_command()],
                env=dict(os.environ),
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        try:
            wait_for(args.port, host)
            for name in http_phases:
                buyers = 1 if name == "sequential" else args.buyers
                result = http_phase(name, args, args.port, host, offer_ids, buyers)
                keys_twice += result["keys_answered_with_two_orders"]
                results["phases"].append(result)
        finally:
            for process in (server, worker):
                if process is not None:
                    process.terminate()
                    process.wait(30)
    results["checks"] = checks(offer_ids, initial, keys_twice)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    c = results["checks"]
    ok = not (c["oversold_units"] or c["offers_with_unexplained_stock"] or c["duplicates"])
    return 0 if ok and c["ledger_check"] == "clean" else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Checkout benchmark: 16 concurrent buyers placing orders over the HTTP API on PostgreSQL.

Each buyer loops: add one offer to a fresh cart (POST /api/cart/lines), then place the order
(POST /api/checkout/orders with an Idempotency-Key). Stock is deliberately scarce so buyers
race for the same units. At the end the script checks, per offer, that the units in placed
orders never exceed the initial stock (oversold units must be 0) and that every unit is
explained by a stock movement.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/galerie_bench \
        uv run python bench/checkout_bench.py --buyers 16 --seconds 20

The database must be migrated and is modified (a "bench" storefront and offers are added).
A gunicorn server is started on --port for the run and stopped at the end.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402

from galerie.inventory.models import StockMovement  # noqa: E402
from galerie.orders.models import OrderLine  # noqa: E402
from galerie.sellers.models import Offer  # noqa: E402
from galerie.testing.factories import (  # noqa: E402
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

HOST = "bench{run}.localhost"
ADDRESS = {"name": "Bench Buyer", "line1": "1 rue du Test", "postcode": "75010", "city": "Paris"}


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


class Buyer(threading.Thread):
    def __init__(self, port, host, offer_ids, deadline, stats, lock):
        super().__init__(daemon=True)
        self.cookies: dict[str, str] = {}
        self.port, self.host, self.offer_ids, self.deadline = port, host, offer_ids, deadline
        self.stats, self.lock = stats, lock

    def request(self, conn, method, path, body, headers):
        data = json.dumps(body).encode() if body is not None else None
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(
            method,
            path,
            body=data,
            headers={
                "Host": self.host,
                "Content-Type": "application/json",
                "Cookie": cookie,
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
                **headers,
            },
        )
        response = conn.getresponse()
        payload = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("X-Cart-Token"), payload

    def browser_session(self, conn):
        """Like a browser or an API client: one page view gives the session and CSRF cookies."""
        self.cookies = {}
        self.request(conn, "GET", "/panier/", None, {})

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while time.monotonic() < self.deadline:
            self.browser_session(conn)
            offer_id = random.choice(self.offer_ids)
            quantity = random.choice((1, 1, 2))
            started = time.monotonic()
            try:
                status, token, payload = self.request(
                    conn,
                    "POST",
                    "/api/cart/lines",
                    {"offer_id": offer_id, "quantity": quantity},
                    {},
                )
                if status != 201:
                    self.count(f"add_{status}_{json.loads(payload).get('code')}")
                    continue
                status, _t, payload = self.request(
                    conn,
                    "POST",
                    "/api/checkout/orders",
                    {
                        "email": "bench@example.fr",
                        "shipping_address": ADDRESS,
                        "payment_method": "transfer",
                    },
                    {"X-Cart-Token": token, "Idempotency-Key": str(uuid.uuid4())},
                )
            except (OSError, http.client.HTTPException) as exc:
                self.count(f"error_{type(exc).__name__}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                continue
            elapsed = time.monotonic() - started
            if status == 201:
                with self.lock:
                    self.stats["latencies"].append(elapsed)
                self.count("placed")
            else:
                self.count(f"place_{status}_{json.loads(payload).get('code')}")
        conn.close()

    def count(self, key):
        with self.lock:
            self.stats[key] = self.stats.get(key, 0) + 1


def wait_for(port, host, seconds=30):
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--offers", type=int, default=5)
    parser.add_argument("--stock", type=int, default=8)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a migrated PostgreSQL database.")

    run = uuid.uuid4().hex[:6]
    host, offer_ids, initial = setup(run, args.offers, args.stock)
    env = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "GALERIE_HTTPS": "0",  # plain http on loopback; pays by transfer: no card simulator
    }
    env.pop("GALERIE_PAYMENT_SIMULATOR", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "galerie.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(args.port, host)
        stats, lock = {"latencies": []}, threading.Lock()
        started = time.monotonic()
        buyers = [
            Buyer(args.port, host, offer_ids, started + args.seconds, stats, lock)
            for _ in range(args.buyers)
        ]
        for buyer in buyers:
            buyer.start()
        for buyer in buyers:
            buyer.join()
        duration = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(20)

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
    latencies = sorted(stats.pop("latencies"))
    placed = stats.get("placed", 0)
    result = {
        "buyers": args.buyers,
        "seconds": round(duration, 1),
        "server": f"gunicorn {args.workers} workers × {args.threads} threads",
        "orders_placed": placed,
        "orders_per_second": round(placed / duration, 1),
        "p50_ms": round(statistics.median(latencies) * 1000) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000) if latencies else None,
        "units_in_stock_at_start": sum(initial.values()),
        "units_sold": sum(ordered.values()),
        "units_left": sum(stocks.values()),
        "oversold_units": oversold,
        "offers_with_unexplained_stock": unexplained,
        "outcomes": stats,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if oversold == 0 and unexplained == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

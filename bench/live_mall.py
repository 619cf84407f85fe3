"""A live mall for bench/pages.py: sellers change offers' stock through the real services while
wrk loads the pages, so the page cache is measured while versions are being bumped.

    uv run python bench/live_mall.py --var bench/out/var100k --rate 10 --log bench/out/live.jsonl

One long-running Django process pointed at the benchmark's database (the same environment as
the servers: GALERIE_VAR_DIR set, DATABASE_URL and REDIS_URL removed unless --postgres). Each
change is one call of `galerie.inventory.services.stock_adjust` (even changes) or
`galerie.sellers.services.offer_update(stock=…)` (odd changes), each in its own transaction,
so the services bump the versions on commit exactly as in production. An offer in stock loses
one unit three times in four (a sale or breakage correction) and is restocked by 1–5 units
otherwise; an offer out of stock is restocked.

Offers are drawn uniformly over the catalogue's active offers, except a share (--hot-share) drawn
from the offers of --hot-products (the popular products the benchmark's live rows cycle over:
popular products sell more). Every change writes one JSON line to --log: time, offer, product,
service, delta, whether the product's summary (the columns listings show, SUMMARY_FIELDS)
changed, and how long the service took. Stops on SIGTERM or after --seconds.
"""

import argparse
import json
import os
import random
import signal
import sys
import time
from pathlib import Path

stopping = False


def _stop(_signum, _frame):
    global stopping
    stopping = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var", type=Path, required=True)
    parser.add_argument("--rate", type=float, default=10.0, help="changes per second")
    parser.add_argument("--seconds", type=float, default=600.0, help="stop after this long")
    parser.add_argument("--hot-products", default="", help="comma-separated product ids")
    parser.add_argument("--hot-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="keep DATABASE_URL and REDIS_URL from the environment",
    )
    args = parser.parse_args()

    if not args.postgres:  # the embedded default, like the servers: never someone else's database
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
    os.environ["GALERIE_VAR_DIR"] = str(args.var.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")
    import django

    django.setup()
    from django.db import connection

    from galerie.catalog.models import Product
    from galerie.catalog.summary import SUMMARY_FIELDS
    from galerie.inventory.services import stock_adjust
    from galerie.sellers.models import Offer
    from galerie.sellers.services import offer_update

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    rng = random.Random(args.seed)
    active = Offer.objects.filter(is_active=True)
    low = active.order_by("pk").values_list("pk", flat=True).first()
    high = active.order_by("-pk").values_list("pk", flat=True).first()
    hot_ids = [int(p) for p in args.hot_products.split(",") if p]
    hot_offers = list(active.filter(product_id__in=hot_ids).values_list("pk", flat=True))

    def pick() -> tuple[Offer, bool]:
        if hot_offers and rng.random() < args.hot_share:
            return Offer.objects.get(pk=rng.choice(hot_offers)), True
        while True:  # uniform over active offers: the first active offer at or after a random id
            offer = active.filter(pk__gte=rng.randint(low, high)).order_by("pk").first()
            if offer is not None:
                return offer, False

    def summary(product_id: int) -> tuple:
        return Product.objects.filter(pk=product_id).values_list(*SUMMARY_FIELDS).first()

    args.log.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    done = 0
    with args.log.open("w") as out:
        print(json.dumps({"start": time.time(), "rate": args.rate, "hot": len(hot_offers)}),
              file=out, flush=True)  # fmt: skip
        while not stopping and time.monotonic() - started < args.seconds:
            delay = started + done / args.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
                if stopping:
                    break
            offer, hot = pick()
            # A unit sold or broken three times in four, else a restock of 1-5 units.
            delta = -1 if offer.stock > 0 and rng.random() < 0.75 else rng.randint(1, 5)
            service = "stock_adjust" if done % 2 == 0 else "offer_update"
            before = summary(offer.product_id)
            t0 = time.perf_counter()
            record = {"offer": offer.pk, "product": offer.product_id, "hot": hot,
                      "service": service, "delta": delta}  # fmt: skip
            try:
                if service == "stock_adjust":
                    stock_adjust(offer=offer, delta=delta, reason="inventaire (bench)")
                else:
                    offer_update(offer=offer, stock=offer.stock + delta)
                record["ms"] = round((time.perf_counter() - t0) * 1000, 1)
                record["summary_changed"] = summary(offer.product_id) != before
            except Exception as exc:  # noqa: BLE001 - count it, keep the mall alive
                record["error"] = f"{type(exc).__name__}: {exc}"[:200]
            record["t"] = time.time()
            print(json.dumps(record), file=out, flush=True)
            done += 1
    connection.close()
    print(f"live_mall: {done} changes in {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Benchmark of the press subscriptions' daily run (issue 14): 100,000 active subscriptions on
SQLite, the day's share due, timed through the real services (not a test).

    uv run python bench/renewals.py                       # 100,000 subscriptions
    uv run python bench/renewals.py --subscriptions 20000 --fresh

The database (bench/out/renewals/var/galerie.sqlite3) is migrated and filled once, in bulk, then
copied before each timed run so every run starts from the same day. Shaped like a steady state:
ends of term spread evenly over the next 365 days (12-month terms, about 274 ending on each
day), so today the renewals of those ending in two days are due; the notices of the terms ending
within three months were sent on earlier days except today's share; 85 % renew tacitly; the
saved cards charge (90 %), refuse for insufficient funds (7 %) or for good (3 %). Every
subscription has its paid first term; issue fulfilments of the base are not created (the run
only writes those of the renewed terms).

Timed: `subscriptions_daily` (notices, renewals with their order and charge, retries, endings),
each step apart, and a second run of the same day (idempotent: nothing more to do).
"""

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "renewals"
VAR = OUT / "var"


def setup_django() -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["GALERIE_VAR_DIR"] = str(VAR)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def fill(count: int, today: dt.date) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from galerie.payments.models import SavedCard, SimulatedCard
    from galerie.subscriptions.models import Subscription, SubscriptionTerm
    from galerie.subscriptions.schedule import NOTICE_EARLIEST_MONTHS, add_months, term_end
    from galerie.testing.factories import make_storefront, make_subscription_offer

    call_command("migrate", verbosity=0)
    rng = random.Random(14)
    with transaction.atomic():
        storefront = make_storefront("culture")
        offer = make_subscription_offer(
            price="49.00", issues_per_year=12, term_months=12, stock=99_999
        )
        plan = offer.subscription_plan
        address = {
            "name": "Camille Martin",
            "line1": "12 rue des Lilas",
            "postcode": "75011",
            "city": "Paris",
            "country": "FR",
        }
        behaviours = ["succeeded"] * 90 + ["insufficient_funds"] * 7 + ["card_declined"] * 3
        notified_until = add_months(today, NOTICE_EARLIEST_MONTHS) - dt.timedelta(days=1)
        for start in range(0, count, 10_000):
            batch = range(start, min(count, start + 10_000))
            SimulatedCard.objects.bulk_create(
                SimulatedCard(
                    token=f"card_bench_{i}",
                    brand="Visa",
                    last4="4242",
                    exp_month=12,
                    exp_year=2099,
                    mit_behaviour=rng.choice(behaviours),
                )
                for i in batch
            )
            cards = SavedCard.objects.bulk_create(
                SavedCard(
                    email=f"abonne{i}@example.fr",
                    provider_ref=f"card_bench_{i}",
                    brand="Visa",
                    last4="4242",
                    exp_month=12,
                    exp_year=2099,
                )
                for i in batch
            )
            subscriptions = []
            for i, card in zip(batch, cards, strict=True):
                ends_on = today + dt.timedelta(days=2 + i % 365)
                starts_on = add_months(ends_on + dt.timedelta(days=1), -12)
                subscriptions.append(
                    Subscription(
                        plan=plan,
                        seller_id=offer.seller_id,
                        storefront=storefront,
                        email=f"abonne{i}@example.fr",
                        delivery_address=address,
                        status="active",
                        starts_on=starts_on,
                        ends_on=ends_on,
                        auto_renew=rng.random() < 0.85,
                        saved_card=card,
                        renewal_notice_for=ends_on if ends_on <= notified_until else None,
                    )
                )
            subscriptions = Subscription.objects.bulk_create(subscriptions)
            SubscriptionTerm.objects.bulk_create(
                SubscriptionTerm(
                    subscription=s,
                    number=1,
                    starts_on=s.starts_on,
                    ends_on=term_end(starts_on=s.starts_on, term_months=12),
                    status="paid",
                )
                for s in subscriptions
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(label: str, fn, results: dict):
    started = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - started
    print(f"  {label:<34} {results[label]:7.2f} s   {value}")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    args = parser.parse_args()
    today = dt.date.today()
    base = OUT / f"base-{args.subscriptions}-{today.isoformat()}.sqlite3"
    db = VAR / "galerie.sqlite3"
    VAR.mkdir(parents=True, exist_ok=True)
    if args.fresh or not base.exists():
        for stale in VAR.glob("galerie.sqlite3*"):
            stale.unlink()
        setup_django()
        started = time.perf_counter()
        fill(args.subscriptions, today)
        from django.db import connection

        connection.close()
        shutil.copy(db, base)
        elapsed = time.perf_counter() - started
        print(f"filled {args.subscriptions:,} subscriptions in {elapsed:.1f} s")
        # The timed run uses a fresh process on a copy of the base.
        os.execv(sys.executable, [sys.executable, __file__, *sys.argv[1:]])
    for stale in VAR.glob("galerie.sqlite3*"):
        stale.unlink()
    shutil.copy(base, db)
    setup_django()
    from galerie.payments import renewals
    from galerie.subscriptions.models import Subscription
    from galerie.subscriptions.services import subscriptions_end_due

    results: dict[str, float] = {}
    active = Subscription.objects.filter(status="active").count()
    due = renewals.renewals_due(today=today).count()
    print(f"{active:,} active subscriptions, {due} renewals due on {today} (SQLite)")
    started = time.perf_counter()
    timed("notices", lambda: renewals.renewal_notices_send(today=today), results)
    timed("renewals (order + first charge)", lambda: renewals.renewals_run(today=today), results)
    timed("retries and closing", lambda: renewals.renewal_retries_run(today=today), results)
    timed("subscriptions ended", lambda: subscriptions_end_due(today=today), results)
    total = time.perf_counter() - started
    print(f"  {'daily run, total':<34} {total:7.2f} s")
    timed("same day again (idempotent)", lambda: renewals.subscriptions_daily(today=today), results)
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}")
    print(f"uptime: {load}")


if __name__ == "__main__":
    main()

"""Benchmark of the economics report (issue 5): the yearly group report over a year of postings
made by 1,000,000 order lines, on SQLite and PostgreSQL.

    uv run python bench/report_bench.py                                  # both databases
    uv run python bench/report_bench.py --order-lines 100000 --backends sqlite

The journal is written in bulk (plain executemany / COPY), shaped like the postings of the
money services: per order (2.5 lines on average, over 2 storefronts, 6 sellers including the
operator, 60 categories) a capture entry — cash debit per seller and category; for a
third-party seller its payable, the commission and the commission's VAT; for the operator its
sales and output VAT, delivery apart — a payment-fee entry, a cost-of-goods entry when the
operator sold something, and a refund entry for 4 % of orders; the monthly totals table is then
filled from the lines as `journal_post` keeps it. Each backend runs in its own process, in its
own database (bench/out/report/… for SQLite, galerie_h_reporting_bench on PostgreSQL), generated
once and reused while the line count matches.

Timed (best and median of 5, warm): the yearly group report (`economics(group_by=())`), the same
per storefront, the dashboard page's three reads (storefront × month, departments, sellers), and a
custom range 15 January – 14 December (its two partial months read the journal lines themselves,
the ten whole months the monthly totals).
Results: a table on stdout and bench/out/report/report-results-<lines>.json.
"""

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "report"
PG_DB = "galerie_h_reporting_bench"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
YEAR = 2025
CHUNK = 20_000


def child_env(backend: str) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if backend == "postgres":
        env["DATABASE_URL"] = PG_URL
    env["GALERIE_VAR_DIR"] = str(OUT / "var-sqlite")
    return env


def ensure_pg_database() -> None:
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{PG_DB}"')


# --- child process: generate and time ------------------------------------------------------------


def setup_reference(rnd: random.Random):
    from galerie.catalog.models import Category
    from galerie.ledger.chart import CHART
    from galerie.ledger.models import Account, AccountKind
    from galerie.ledger.services import account_get, seller_payable_account
    from galerie.reporting.chart import FIXED_COST_ACCOUNTS, account_ensure
    from galerie.sellers.models import Seller
    from galerie.storefronts.models import Storefront

    storefronts = []
    for slug, name in (("galerie", "Galerie Culture"), ("hightech", "Galerie High-Tech")):
        storefront, _ = Storefront.objects.get_or_create(
            slug=slug, defaults={"name": name, "logo_text": name}
        )
        storefronts.append(storefront.pk)
    operator, _ = Seller.objects.get_or_create(
        slug="galerie", defaults={"name": "Galerie", "is_operator": True, "status": "verified"}
    )
    traders = []
    for i in range(5):
        seller, _ = Seller.objects.get_or_create(
            slug=f"vendeur-{i}", defaults={"name": f"Vendeur {i}", "status": "verified"}
        )
        traders.append(seller.pk)
    categories = []
    for r in range(9):
        root, _ = Category.objects.get_or_create(slug=f"rayon-{r}", defaults={"name": f"Rayon {r}"})
        for c in range(6):
            leaf, _ = Category.objects.get_or_create(
                slug=f"rayon-{r}-{c}", defaults={"name": f"Rayon {r}.{c}", "parent": root}
            )
            categories.append(leaf.pk)
    from django.db import transaction

    with transaction.atomic():
        accounts = {code: account_get(code=code).pk for code in CHART}
        payables = {pk: seller_payable_account(seller_id=pk).pk for pk in traders}
    for expense, payable in FIXED_COST_ACCOUNTS.values():
        accounts[expense.code] = account_ensure(expense).pk
        accounts[payable.code] = account_ensure(payable).pk
    for code, name, kind in (
        ("607000", "Achats de marchandises", AccountKind.EXPENSE),
        ("371000", "Stocks de marchandises", AccountKind.ASSET),
    ):
        accounts[code] = Account.objects.get_or_create(
            code=code, defaults={"number": code, "name": name, "kind": kind}
        )[0].pk
    return storefronts, operator.pk, traders, categories, accounts, payables


def generate(order_lines: int) -> dict:
    """Write the journal of `order_lines` order lines in bulk; returns counts and seconds."""
    from django.db import connection, transaction

    from galerie.ledger.models import Journal, JournalEntry, JournalLine, LedgerTotal

    rnd = random.Random(5)
    storefronts, operator, traders, categories, accounts, payables = setup_reference(rnd)
    journals = dict(Journal.objects.values_list("code", "pk"))
    started = time.perf_counter()
    qn = connection.ops.quote_name

    def insert_sql(model, fields):
        columns = ", ".join(qn(model._meta.get_field(f).column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        return f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"

    entry_fields = ["id", "journal", "number", "date", "label", "reference", "kind",
                    "storefront", "order_id", "order_ref", "created_at"]  # fmt: skip
    line_fields = ["entry", "account", "debit", "credit", "label", "date", "month",
                   "storefront", "seller", "category"]  # fmt: skip
    entry_sql, line_sql = (
        insert_sql(JournalEntry, entry_fields),
        insert_sql(JournalLine, line_fields),
    )
    next_id = (JournalEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    numbers = {code: 0 for code in journals}
    now = datetime.datetime(YEAR + 1, 1, 1, tzinfo=datetime.UTC)
    entries, lines = [], []
    counts = {"entries": 0, "lines": 0, "order_lines": 0, "orders": 0}
    C = Decimal("0.01")

    def flush():
        with connection.cursor() as cursor:
            cursor.executemany(entry_sql, entries)
            cursor.executemany(line_sql, lines)
        counts["entries"] += len(entries)
        counts["lines"] += len(lines)
        entries.clear()
        lines.clear()

    def entry(journal, day, kind, storefront, order, rows):
        nonlocal next_id
        numbers[journal] += 1
        pk = next_id
        next_id += 1
        entries.append((pk, journals[journal], numbers[journal], day, f"{kind} {order}", "",
                        kind, storefront, order, f"G{order:07d}", now))  # fmt: skip
        month = day.replace(day=1)
        for account, debit, credit, seller, category in rows:
            lines.append((pk, account, debit, credit, "", day, month, storefront, seller,
                          category))  # fmt: skip

    with transaction.atomic():
        order = 0
        while counts["order_lines"] < order_lines:
            order += 1
            day = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rnd.randrange(365))
            storefront = rnd.choice(storefronts)
            n = min(rnd.choice([1, 1, 2, 2, 3, 3, 4, 4]), order_lines - counts["order_lines"])
            counts["order_lines"] += n
            capture, cogs, total = [], Decimal(0), Decimal(0)
            for _ in range(n):
                seller = operator if rnd.random() < 0.4 else rnd.choice(traders)
                category = rnd.choice(categories)
                amount = Decimal(rnd.randrange(500, 40000)) * C
                total += amount
                capture.append((accounts["511200"], amount, 0, seller, category))
                if seller == operator:
                    vat = (amount / 6).quantize(C)
                    capture.append((accounts["707000"], 0, amount - vat, seller, category))
                    capture.append((accounts["445710"], 0, vat, seller, category))
                    cogs += ((amount - vat) * Decimal("0.7")).quantize(C)
                else:
                    commission = (amount * Decimal("0.10")).quantize(C)
                    commission_vat = (commission / 5).quantize(C)
                    capture.append((payables[seller], 0, amount - commission - commission_vat,
                                    seller, category))  # fmt: skip
                    capture.append((accounts["706000"], 0, commission, seller, category))
                    capture.append((accounts["445710"], 0, commission_vat, seller, category))
            entry("VE", day, "capture", storefront, order, capture)
            fee = (total * Decimal("0.014") + Decimal("0.25")).quantize(C)
            entry("BQ", day, "payment_fee", storefront, order, [
                (accounts["627000"], fee, 0, None, None),
                (accounts["511200"], 0, fee, None, None),
            ])  # fmt: skip
            if cogs:
                entry("OD", day, "manual", storefront, order, [
                    (accounts["607000"], cogs, 0, operator, None),
                    (accounts["371000"], 0, cogs, operator, None),
                ])  # fmt: skip
            if rnd.random() < 0.04:
                refund = [(a, c, d, s, k) for a, d, c, s, k in capture]  # mirror image
                later = min(day + datetime.timedelta(days=10), datetime.date(YEAR, 12, 31))
                entry("VE", later, "refund", storefront, order, refund)
            counts["orders"] = order
            if len(lines) >= CHUNK:
                flush()
        flush()
        for code, number in numbers.items():
            Journal.objects.filter(code=code).update(last_number=number)
    inserted = time.perf_counter() - started
    t = time.perf_counter()
    totals = LedgerTotal._meta.db_table
    lines_table = JournalLine._meta.db_table
    entries_table = JournalEntry._meta.db_table
    keys = "month, account_id, l.storefront_id, seller_id, category_id"
    columns = "month, account_id, storefront_id, seller_id, category_id, entry_kind"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {totals}")  # noqa: S608 — table names from the models
        cursor.execute(
            f"INSERT INTO {totals} ({columns}, debit, credit) "  # noqa: S608
            f"SELECT {keys}, e.kind, SUM(debit), SUM(credit) FROM {lines_table} l "
            f"JOIN {entries_table} e ON e.id = l.entry_id GROUP BY {keys}, e.kind"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                [JournalEntry._meta.db_table, next_id],
            )
            cursor.execute(f"ANALYZE {lines_table}")
            cursor.execute(f"ANALYZE {totals}")
            cursor.execute(f"ANALYZE {JournalEntry._meta.db_table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    counts.update(
        insert_seconds=round(inserted, 1), totals_seconds=round(time.perf_counter() - t, 1)
    )
    return counts


def timed(function, runs: int = 5) -> dict:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - t)
    return {"best": round(min(samples), 3), "median": round(statistics.median(samples), 3),
            "rows": len(result)}  # fmt: skip


def child(order_lines: int, backend: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from galerie.ledger.models import JournalEntry, JournalLine, LedgerTotal
    from galerie.reporting.selectors import economics

    call_command("migrate", verbosity=0)
    marker = OUT / f"generated-{backend}.json"
    generated = json.loads(marker.read_text()) if marker.exists() else {}
    if generated.get("order_lines") != order_lines or not JournalLine.objects.exists():
        if JournalLine.objects.exists():
            raise SystemExit(f"{backend}: the bench database holds other lines; delete it first")
        generated = generate(order_lines)
        marker.write_text(json.dumps(generated))
    start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    results = {
        "backend": backend,
        "vendor": connection.vendor,
        **generated,
        "journal_lines": JournalLine.objects.count(),
        "journal_entries": JournalEntry.objects.count(),
        "monthly_totals": LedgerTotal.objects.count(),
    }
    (group,) = economics(start=start, end=end, group_by=())
    results["check"] = {
        "gmv": str(group.gmv),
        "net_revenue": str(group.net_revenue),
        "operating_result": str(group.operating_result),
    }
    results["year_group"] = timed(lambda: economics(start=start, end=end, group_by=()))
    results["year_by_storefront"] = timed(
        lambda: economics(start=start, end=end, group_by="storefront")
    )

    def dashboard():
        # The three grouped reads of the dashboard page (galerie.reporting.views.dashboard).
        return [
            *economics(start=start, end=end, group_by=["storefront", "month"]),
            *economics(start=start, end=end, group_by="category", category_depth=1),
            *economics(start=start, end=end, group_by="seller"),
        ]

    results["dashboard"] = timed(dashboard, runs=3)
    results["custom_range_from_lines"] = timed(
        lambda: economics(start=datetime.date(YEAR, 1, 15), end=datetime.date(YEAR, 12, 14),
                          group_by=()),
        runs=3,
    )  # fmt: skip
    print(json.dumps(results))


# --- parent: one child per backend ---------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--order-lines", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--child", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.child:
        child(args.order_lines, args.child)
        return
    all_results = []
    for backend in args.backends.split(","):
        if backend == "postgres":
            ensure_pg_database()
        (OUT / "var-sqlite").mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, __file__, "--order-lines", str(args.order_lines), "--child", backend],
            env=child_env(backend),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if proc.returncode:
            print(proc.stdout, proc.stderr, file=sys.stderr)
            raise SystemExit(f"{backend} failed")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        result["wall_seconds"] = round(time.perf_counter() - t, 1)
        all_results.append(result)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    path = OUT / f"report-results-{args.order_lines}.json"
    path.write_text(json.dumps({"machine": machine, "results": all_results}, indent=2))
    print(f"machine: {machine}")
    print("| backend | order lines | journal lines | monthly totals | yearly group report "
          "| per storefront | dashboard (3 reads) | custom range 15/01–14/12 |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for r in all_results:
        print(
            f"| {r['vendor']} | {r['order_lines']:,} | {r['journal_lines']:,} | "
            f"{r['monthly_totals']:,} | {r['year_group']['best']} s (median "
            f"{r['year_group']['median']} s) | {r['year_by_storefront']['best']} s | "
            f"{r['dashboard']['best']} s | {r['custom_range_from_lines']['best']} s |"
        )
    print(f"results: {path}")


if __name__ == "__main__":
    main()

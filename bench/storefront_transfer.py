"""Benchmark of a storefront's transfer (issue 15): `galerie export-storefront` and
`galerie import-storefront` of a storefront with 100,000 products and 200,000 orders, on SQLite.
Targets: each under 2 minutes, each under 300 MB of memory.

    uv run python bench/storefront_transfer.py                     # the issue's sizes
    uv run python bench/storefront_transfer.py --products 10000 --orders 20000 --customers 5000

Phases, each a process of its own, under a temporary folder (removed unless --keep):
  build    a fresh SQLite database (GALERIE_VAR_DIR=…/source): migrate, then the storefront
           written straight with plain INSERTs in batches (not through the services, which would
           take hours; the build's time is reported, never compared with the targets):
           categories (3 roots × 6 leaves), one product type with a `brand` attribute, products
           with valid GTINs and their brand value, 5 third-party sellers (SIREN, IBAN, a
           delivery method each) with ~1.33 offers per product, one commission rule, customers
           with an address each, paid orders over the past year (one seller each, 1 to 3 lines,
           1.5 on average), their seller orders (delivered), one order event each, a captured
           card payment each, and a full refund of 2 % of them;
           the ledger: per order the capture entry that `ledger_post_capture` posts for a
           third-party seller's sale (Dr 511200, Cr the seller's 467100 sub-account, Cr 706000,
           Cr 445710, one line per account × seller × category) and the mirror refund entry
           (709600 instead of 706000); the accounts' debit/credit totals, the monthly
           LedgerTotal rows and the journal's last number are summed from exactly those lines,
           so `galerie ledger-check` passes on the result (--ledger-check runs it);
  export   `galerie export-storefront bench ARCHIVE --no-progress` on the source;
  migrate  a second fresh database (GALERIE_VAR_DIR=…/target): migrate (not timed);
  import   `galerie import-storefront ARCHIVE --no-progress` into it;
  verify   `galerie verify-storefront ARCHIVE` on the target.
Each command's wall time and peak resident memory (ru_maxrss of that process alone, from
os.wait4) are measured; the machine's load average and CPU count are printed with them.
Results: a table on stdout and bench/out/storefront-transfer-<products>-<orders>.json.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SLUG = "bench"
SELLERS = 5
BATCH = 2000
TARGET_SECONDS = 120
TARGET_MB = 300


# ----------------------------------------------------------------------------- the build phase

CENT = Decimal("0.01")
VAT_RATE = Decimal("20")
DELIVERY_FEE = Decimal("4.90")
COMMISSION_RATE = Decimal("12.00")
BRANDS = ["Sonora", "Kestrel", "Altair", "Nordvik", "Pixelle", "Orbis", "Tamarin", "Vega"]


def _vat(ttc: Decimal) -> Decimal:
    """The VAT inside an amount incl. VAT at 20 %."""
    return (ttc * VAT_RATE / (100 + VAT_RATE)).quantize(CENT)


def _converter(field, connection):
    """How one column's Python value is bound: what bulk_create does, without its per-row
    compilation (which would take most of the build's time)."""
    from django.db import models

    if isinstance(field, models.DecimalField):
        return lambda value: None if value is None else str(value)
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
    if isinstance(field, models.UUIDField):
        return lambda value: field.get_db_prep_save(value, connection)
    return lambda value: value


def insert(model, rows: list[dict]) -> None:
    """INSERT `rows` ({attname or relation name: value}) with one executemany; a column a row
    leaves out takes the field's default (computed per row: a fresh UUID each)."""
    from django.db import connection

    if not rows:
        return
    fields = model._meta.concrete_fields
    convert = [_converter(field, connection) for field in fields]
    values = []
    for row in rows:
        line = []
        for field, conv in zip(fields, convert, strict=True):
            if field.attname in row:
                value = row[field.attname]
            elif field.name in row:  # a relation given as an instance
                value = row[field.name]
                value = getattr(value, "pk", value)
            else:
                value = field.get_default()
            line.append(conv(value))
        values.append(tuple(line))
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)


def build(*, products: int, orders: int, customers: int, seed: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from stdnum import ean

    migrate_started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = round(time.perf_counter() - migrate_started, 1)
    from galerie.accounts.models import Address
    from galerie.catalog.models import Attribute, AttributeValue, Category, Product, ProductType
    from galerie.ledger import chart
    from galerie.ledger.models import (
        Account,
        EntryKind,
        Journal,
        JournalEntry,
        JournalLine,
        LedgerTotal,
    )
    from galerie.ledger.services import seller_payable_account
    from galerie.orders.models import (
        Order,
        OrderEvent,
        OrderLine,
        OrderStatus,
        SellerOrder,
        SellerOrderStatus,
    )
    from galerie.payments.models import Payment, PaymentStatus, Refund, RefundStatus
    from galerie.pricing.models import DeliveryMethod
    from galerie.sellers.models import CommissionRule, Offer, Seller, SellerStatus
    from galerie.storefronts.models import Storefront, StorefrontHost

    User = get_user_model()
    rng = random.Random(seed)
    started = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a throw-away database: no fsync while building
            cursor.execute("PRAGMA synchronous=OFF")

    def next_id(model) -> int:
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return (last or 0) + 1

    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    year_ago = now - datetime.timedelta(days=365)

    # Reference data through the models (a few dozen rows).
    with transaction.atomic():
        roots = [
            Category.objects.create(name=name, slug=f"bench-{slug}")
            for name, slug in [("Audio", "audio"), ("Photo", "photo"), ("Maison", "maison")]
        ]
        leaves = [
            Category.objects.create(
                name=f"{root.name} {n}", slug=f"{root.slug}-{n}", parent=root, position=n
            )
            for root in roots
            for n in range(1, 7)
        ]
        storefront = Storefront.objects.create(slug=SLUG, name="Bench Hi-Tech", logo_text="Bench")
        storefront.categories.set(roots)
        StorefrontHost.objects.create(storefront=storefront, hostname="bench.localhost")
        product_type = ProductType.objects.create(name="Bench générique", slug="bench-generic")
        brand = Attribute.objects.create(
            product_type=product_type, code="brand", name="Marque", kind="text", is_facet=True
        )
        sellers = []
        for n in range(1, SELLERS + 1):
            seller = Seller.objects.create(
                slug=f"bench-seller-{n}",
                name=f"Vendeur {n}",
                legal_name=f"Vendeur {n} SAS",
                status=SellerStatus.VERIFIED,
                email=f"vendeur{n}@example.fr",
                siren=f"{123456780 + n}",
                iban="FR7630006000011234567890189",
                bic="AGRIFRPP",
            )
            DeliveryMethod.objects.create(seller=seller, name="Colissimo", fee=DELIVERY_FEE)
            sellers.append(seller)
        CommissionRule.objects.create(storefront=storefront, rate=COMMISSION_RATE)
        payable = {s.pk: seller_payable_account(seller_id=s.pk) for s in sellers}
        accounts = {
            code: Account.objects.get(code=code)
            for code in (
                chart.PROVIDER_CLEARING,
                chart.COMMISSION_REVENUE,
                chart.COMMISSION_REBATES,
                chart.VAT_COLLECTED,
            )
        }
        journal = Journal.objects.get(code=chart.JOURNAL_SALES)

    # Products, their brand, their offers.
    offers_of: dict[int, list[tuple[int, int, Decimal, int]]] = {s.pk: [] for s in sellers}
    product_id, offer_id = next_id(Product), next_id(Offer)
    counts = {"products": 0, "offers": 0}
    with transaction.atomic():
        for start in range(0, products, BATCH):
            rows, values, offers = [], [], []
            for n in range(start, min(start + BATCH, products)):
                body = f"376{n:09d}"
                category = leaves[n % len(leaves)]
                price = Decimal(rng.randrange(500, 50000)) / 100
                created = year_ago - datetime.timedelta(days=rng.randrange(1, 700))
                rows.append(
                    dict(
                        id=product_id, title=f"Produit banc d'essai {n}",
                        slug=f"bench-produit-{n}", description="Un produit du banc d'essai.",
                        product_type=product_type, category=category,
                        gtin=body + ean.calc_check_digit(body), best_price=price,
                        price_new=price, offer_count=1, in_stock=True,
                        created_at=created, updated_at=created,
                    )
                )  # fmt: skip
                value = BRANDS[n % len(BRANDS)]
                values.append(
                    dict(
                        product_id=product_id, attribute=brand, value_text=value, facet_value=value
                    )
                )
                seller_ids = [sellers[n % SELLERS].pk]
                if n % 3 == 0:
                    seller_ids.append(sellers[(n + 1) % SELLERS].pk)
                for k, seller_id in enumerate(seller_ids):
                    offer_price = price + k  # the second seller a euro dearer
                    offers.append(
                        dict(
                            id=offer_id, seller_id=seller_id, product_id=product_id,
                            sku=f"SKU-{seller_id}-{n}", price=offer_price, stock=50,
                            condition="new", created_at=created, updated_at=created,
                        )
                    )  # fmt: skip
                    offers_of[seller_id].append((offer_id, product_id, offer_price, category.pk))
                    offer_id += 1
                product_id += 1
            insert(Product, rows)
            insert(AttributeValue, values)
            insert(Offer, offers)
            counts["products"] += len(rows)
            counts["offers"] += len(offers)

    # Customers and their address.
    user_id = next_id(User)
    first_user = user_id
    with transaction.atomic():
        for start in range(0, customers, BATCH):
            users, addresses = [], []
            for n in range(start, min(start + BATCH, customers)):
                email = f"client{n}@example.fr"
                joined = year_ago - datetime.timedelta(days=rng.randrange(0, 1000))
                users.append(
                    dict(
                        id=user_id, username=email, email=email, first_name="Client",
                        last_name=f"N{n}", password="!bench", date_joined=joined,
                    )
                )  # fmt: skip
                addresses.append(
                    dict(
                        user_id=user_id, name=f"Client N{n}", line1=f"{n % 200 + 1} rue du Banc",
                        postcode=f"{75001 + n % 20}", city="Paris", is_default=True,
                        created_at=joined, updated_at=joined,
                    )
                )  # fmt: skip
                user_id += 1
            insert(User, users)
            insert(Address, addresses)
    counts["customers"] = customers

    # Orders, payments, refunds and their ledger entries, in batches; account and monthly
    # totals are summed from the very lines written.
    ids = {
        model: next_id(model)
        for model in (Order, SellerOrder, OrderLine, OrderEvent, Payment, Refund, JournalEntry)
    }
    number = journal.last_number
    account_totals: dict[int, list[Decimal]] = {}
    monthly: dict[tuple, list[Decimal]] = {}
    for key in ("orders", "order_lines", "refunds", "journal_entries", "journal_lines"):
        counts[key] = 0
    times = sorted(
        year_ago + datetime.timedelta(seconds=rng.randrange(0, 365 * 86400)) for _ in range(orders)
    )

    def entry_lines(entry_id, date, kind, splits, *, refund):
        """A capture's lines for a third-party seller's splits (seller, category, amount,
        commission incl. VAT), merged per account × seller × category; a refund mirrors them."""
        sums: dict[tuple, Decimal] = {}
        for seller_id, category_id, amount, commission in splits:
            commission_vat = _vat(commission)
            for account, value in (
                (accounts[chart.PROVIDER_CLEARING].pk, amount),
                (payable[seller_id].pk, amount - commission),
                (
                    accounts[chart.COMMISSION_REBATES if refund else chart.COMMISSION_REVENUE].pk,
                    commission - commission_vat,
                ),
                (accounts[chart.VAT_COLLECTED].pk, commission_vat),
            ):
                key = (account, seller_id, category_id)
                sums[key] = sums.get(key, Decimal(0)) + value
        lines = []
        month = date.replace(day=1)
        for (account, seller_id, category_id), value in sums.items():
            if not value:
                continue
            on_debit = (account == accounts[chart.PROVIDER_CLEARING].pk) != refund
            debit, credit = (value, Decimal(0)) if on_debit else (Decimal(0), value)
            lines.append(
                dict(
                    entry_id=entry_id, account_id=account, debit=debit, credit=credit,
                    label="", date=date, month=month, storefront=storefront,
                    seller_id=seller_id, category_id=category_id,
                )
            )  # fmt: skip
            totals = account_totals.setdefault(account, [Decimal(0), Decimal(0)])
            totals[0] += debit
            totals[1] += credit
            key = (month, account, storefront.pk, seller_id, category_id, kind)
            totals = monthly.setdefault(key, [Decimal(0), Decimal(0)])
            totals[0] += debit
            totals[1] += credit
        return lines

    for start in range(0, orders, BATCH):
        batch = {name: [] for name in ("o", "so", "l", "e", "p", "r", "je", "jl")}
        for n in range(start, min(start + BATCH, orders)):
            placed = times[n]
            paid = placed + datetime.timedelta(minutes=3)
            date = paid.date()
            seller = sellers[rng.randrange(SELLERS)]
            customer = first_user + rng.randrange(customers)
            picked = rng.sample(offers_of[seller.pk], rng.choices((1, 2, 3), (6, 3, 1))[0])
            order_id, so_id = ids[Order], ids[SellerOrder]
            address = {"name": f"Client {customer}", "line1": "1 rue du Banc",
                       "postcode": "75001", "city": "Paris", "country": "FR"}  # fmt: skip
            items, vat, splits = Decimal(0), Decimal(0), []
            for offer, product, price, category in picked:
                quantity = 1 if rng.random() < 0.85 else 2
                total = price * quantity
                commission = (total * COMMISSION_RATE / 100).quantize(CENT)
                batch["l"].append(
                    dict(
                        id=ids[OrderLine], order_id=order_id, seller_order_id=so_id,
                        offer_id=offer, product_id=product, title=f"Produit {product}",
                        gtin="", seller_name=seller.name, condition="new",
                        unit_price=price, quantity=quantity, vat_rate=VAT_RATE,
                        line_total=total, vat_amount=_vat(total),
                        commission_rate=COMMISSION_RATE, commission_fixed_fee=Decimal(0),
                        commission_amount=commission, category_id=category,
                    )
                )  # fmt: skip
                ids[OrderLine] += 1
                items += total
                vat += _vat(total)
                splits.append((seller.pk, category, total, commission))
            splits.append((seller.pk, None, DELIVERY_FEE, Decimal(0)))
            total = items + DELIVERY_FEE
            refunded = rng.random() < 0.02
            batch["o"].append(
                dict(
                    id=order_id, storefront=storefront, email=f"client{customer}@example.fr",
                    user_id=customer, shipping_address=address, billing_address=address,
                    status=OrderStatus.PAID, items_total=items, delivery_total=DELIVERY_FEE,
                    total=total, vat_total=vat + _vat(DELIVERY_FEE),
                    refunded_total=total if refunded else Decimal(0), paid_at=paid,
                    created_at=placed, updated_at=paid,
                )
            )  # fmt: skip
            delivered = paid + datetime.timedelta(days=3)
            batch["so"].append(
                dict(
                    id=so_id, order_id=order_id, seller=seller, seller_name=seller.name,
                    status=SellerOrderStatus.DELIVERED, delivery_label="Colissimo",
                    delivery_fee=DELIVERY_FEE,
                    delivery_vat=[{"rate": "20", "ttc": str(DELIVERY_FEE),
                                   "vat": str(_vat(DELIVERY_FEE))}],
                    items_total=items, total=total,
                    delivery_refunded=DELIVERY_FEE if refunded else Decimal(0),
                    accepted_at=paid, shipped_at=paid + datetime.timedelta(days=1),
                    delivered_at=delivered, created_at=placed, updated_at=delivered,
                )
            )  # fmt: skip
            if refunded:
                for line in batch["l"][-len(picked) :]:
                    line["refunded_quantity"] = line["quantity"]
            batch["e"].append(
                dict(
                    id=ids[OrderEvent], order_id=order_id, actor_label="client",
                    from_status=OrderStatus.PENDING_PAYMENT, to_status=OrderStatus.PAID,
                    created_at=paid,
                )
            )  # fmt: skip
            payment_id = ids[Payment]
            batch["p"].append(
                dict(
                    id=payment_id, order_id=order_id, method="card",
                    status=PaymentStatus.CAPTURED, amount=total,
                    refunded_amount=total if refunded else Decimal(0),
                    provider_ref=f"bench_{payment_id}", captured_at=paid,
                    created_at=placed, updated_at=paid,
                )
            )  # fmt: skip
            number += 1
            entry_id = ids[JournalEntry]
            batch["je"].append(
                dict(
                    id=entry_id, journal=journal, number=number, date=date,
                    label=f"Encaissement commande G{order_id:07d}",
                    reference=f"G{order_id:07d}", kind=EntryKind.CAPTURE,
                    storefront=storefront, order_id=order_id, order_ref=f"G{order_id:07d}",
                    idempotency_key=f"capture:{payment_id}", created_at=paid,
                )
            )  # fmt: skip
            batch["jl"] += entry_lines(entry_id, date, EntryKind.CAPTURE, splits, refund=False)
            ids[JournalEntry] += 1
            if refunded:
                when = delivered + datetime.timedelta(days=5)
                batch["r"].append(
                    dict(
                        id=ids[Refund], order_id=order_id, payment_id=payment_id,
                        amount=total, status=RefundStatus.SUCCEEDED,
                        idempotency_key=f"bench-refund-{order_id}", request_hash="0" * 64,
                        reason="Rétractation", provider_ref=f"bench_re_{order_id}",
                        created_at=when,
                    )
                )  # fmt: skip
                number += 1
                refund_entry = ids[JournalEntry]
                batch["je"].append(
                    dict(
                        id=refund_entry, journal=journal, number=number, date=when.date(),
                        label=f"Remboursement commande G{order_id:07d}",
                        reference=f"G{order_id:07d}", kind=EntryKind.REFUND,
                        storefront=storefront, order_id=order_id,
                        order_ref=f"G{order_id:07d}",
                        idempotency_key=f"refund:{ids[Refund]}", created_at=when,
                    )
                )  # fmt: skip
                batch["jl"] += entry_lines(
                    refund_entry, when.date(), EntryKind.REFUND, splits, refund=True
                )
                ids[JournalEntry] += 1
                ids[Refund] += 1
            ids[Order] += 1
            ids[SellerOrder] += 1
            ids[OrderEvent] += 1
            ids[Payment] += 1
        with transaction.atomic():
            insert(Order, batch["o"])
            insert(SellerOrder, batch["so"])
            insert(OrderLine, batch["l"])
            insert(OrderEvent, batch["e"])
            insert(Payment, batch["p"])
            insert(Refund, batch["r"])
            insert(JournalEntry, batch["je"])
            insert(JournalLine, batch["jl"])
        counts["orders"] += len(batch["o"])
        counts["order_lines"] += len(batch["l"])
        counts["refunds"] += len(batch["r"])
        counts["journal_entries"] += len(batch["je"])
        counts["journal_lines"] += len(batch["jl"])

    with transaction.atomic():
        for account_pk, (debit, credit) in sorted(account_totals.items()):
            account = Account.objects.get(pk=account_pk)
            Account.objects.filter(pk=account_pk).update(
                debit_total=account.debit_total + debit, credit_total=account.credit_total + credit
            )
        LedgerTotal.objects.bulk_create(
            LedgerTotal(
                month=month,
                account_id=account,
                storefront_id=storefront_id,
                seller_id=seller_id,
                category_id=category_id,
                entry_kind=kind,
                debit=debit,
                credit=credit,
            )  # fmt: skip
            for (month, account, storefront_id, seller_id, category_id, kind), (debit, credit) in (
                monthly.items()
            )
        )
        Journal.objects.filter(pk=journal.pk).update(last_number=number)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["migrate_seconds"] = migrate_seconds
    return counts


# --------------------------------------------------------------------------- the measurements


def measure(command: list[str], *, env: dict, log: Path) -> dict:
    """Run `command`, wait for it alone (os.wait4), and return its wall time and peak RSS."""
    with open(log, "w", encoding="utf-8") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "command": " ".join(command[2:]),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),  # Linux: kilobytes
        "exit": process.returncode,
        "output_tail": log.read_text(encoding="utf-8").splitlines()[-12:],
    }


def env_for(var: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(GALERIE_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="galerie.settings", LANG="C.UTF-8")
    env.pop("LC_ALL", None)
    return env


def galerie(*args: str) -> list[str]:
    return [sys.executable, "-m", "galerie.cli", *args]


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--ledger-check", action="store_true", help="run ledger-check on the build")
    parser.add_argument("--keep", action="store_true", help="keep the databases and the archive")
    parser.add_argument("--workdir", help="where to build (default: a temporary folder)")
    parser.add_argument("--phase", choices=["build"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "build":
        sys.path.insert(0, str(ROOT / "src"))
        result = build(
            products=args.products, orders=args.orders, customers=args.customers, seed=args.seed
        )
        print(json.dumps(result))
        return

    work = Path(args.workdir or tempfile.mkdtemp(prefix="galerie-transfer-"))
    source, target = work / "source", work / "target"
    for var in (source, target):
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir(parents=True)
    archive = work / f"{SLUG}.zip"
    results = {
        "date_utc": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
        "sizes": {"products": args.products, "orders": args.orders, "customers": args.customers},
        "cpus": os.cpu_count(),
        "loadavg_start": load(),
    }
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], cwd=ROOT, capture_output=True, text=True
    )
    results["code"] = commit.stdout.strip()[:120]
    try:
        print(f"building in {work} …", file=sys.stderr, flush=True)
        built = subprocess.run(
            [sys.executable, __file__, "--phase", "build", "--products", str(args.products),
             "--orders", str(args.orders), "--customers", str(args.customers),
             "--seed", str(args.seed)],
            env=env_for(source), cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        if built.returncode:
            sys.stderr.write(built.stderr)
            raise SystemExit("build failed")
        results["build"] = json.loads(built.stdout.strip().splitlines()[-1])
        results["source_db_mb"] = round((source / "galerie.sqlite3").stat().st_size / 2**20)
        print(f"built: {results['build']}", file=sys.stderr, flush=True)
        phases = {}
        if args.ledger_check:
            phases["ledger-check"] = measure(
                galerie("ledger-check"), env=env_for(source), log=work / "ledger-check.log"
            )
        phases["export"] = measure(
            galerie("export-storefront", SLUG, str(archive), "--no-progress"),
            env=env_for(source),
            log=work / "export.log",
        )
        results["archive_mb"] = (
            round(archive.stat().st_size / 2**20, 1) if archive.exists() else None
        )
        if archive.exists():
            import zipfile

            with zipfile.ZipFile(archive) as zipped:
                counts = json.loads(zipped.read("manifest.json"))["counts"]
            results["archive_rows"] = sum(counts.values())
        phases["migrate"] = measure(
            galerie("migrate", "--verbosity", "0"), env=env_for(target), log=work / "migrate.log"
        )
        phases["import"] = measure(
            galerie("import-storefront", str(archive), "--no-progress"),
            env=env_for(target),
            log=work / "import.log",
        )
        phases["verify"] = measure(
            galerie("verify-storefront", str(archive)), env=env_for(target), log=work / "verify.log"
        )
        for name, phase in phases.items():
            print(f"{name}: {phase['seconds']} s, {phase['peak_rss_mb']} MB, exit "
                  f"{phase['exit']}", file=sys.stderr, flush=True)  # fmt: skip
        results["phases"] = phases
        results["loadavg_end"] = load()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"storefront-transfer-{args.products}-{args.orders}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print_table(results)
    print(f"results: {out}", file=sys.stderr)


def print_table(results: dict) -> None:
    build = results["build"]
    print(
        f"{build['products']:,} products, {build['offers']:,} offers, {build['customers']:,} "
        f"customers, {build['orders']:,} orders ({build['order_lines']:,} lines, "
        f"{build['refunds']:,} refunds), {build['journal_entries']:,} ledger entries "
        f"({build['journal_lines']:,} lines); source database {results['source_db_mb']} MB, "
        f"built in {build['seconds']} s after a {build['migrate_seconds']} s migrate; "
        f"archive {results['archive_mb']} MB, {results.get('archive_rows', 0):,} rows"
    )
    print(
        f"machine: {results['cpus']} CPUs, load average (1/5/15 min) "
        f"{results['loadavg_start']} at the start, {results['loadavg_end']} at the end"
    )
    print()
    print("| phase | wall s | CPU s | peak RSS MB | exit | target |")
    print("|---|---:|---:|---:|---:|---|")
    for name, phase in results["phases"].items():
        target = "–"
        if name in ("export", "import") and not results.get("archive_rows"):
            target = "not measured: the archive carries no entity rows (entity modules missing)"
        elif name in ("export", "import"):
            met = phase["seconds"] < TARGET_SECONDS and phase["peak_rss_mb"] < TARGET_MB
            target = f"< {TARGET_SECONDS} s, < {TARGET_MB} MB: {'**met**' if met else '**missed**'}"
        print(
            f"| {name} | {phase['seconds']} | {phase['cpu_seconds']} | {phase['peak_rss_mb']} "
            f"| {phase['exit']} | {target} |"
        )
    for name, phase in results["phases"].items():
        if phase["exit"]:
            print(f"\n{name} failed:\n" + "\n".join(phase["output_tail"]))


if __name__ == "__main__":
    main()

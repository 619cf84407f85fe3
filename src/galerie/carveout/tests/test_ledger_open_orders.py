"""An order still open at the cut-off keeps its sale entries in the archive, whatever their date,
so that refunding it on the target posts its refund entry; an order settled long before the
cut-off is folded into the history like everything else."""

import datetime
import json
import uuid
import zipfile
from decimal import Decimal as D

import pytest
from django.db.models import Sum

from galerie.carveout import importer
from galerie.carveout.archive import ArchiveError
from galerie.carveout.entities import ledger as ledger_entities
from galerie.carveout.entities.base import ImportContext
from galerie.carveout.entities.ledger import (
    OPEN_ORDER_DAYS,
    LedgerEntries,
    ledger_balances,
)
from galerie.carveout.export import storefront_export
from galerie.core.clock import simulated_clock
from galerie.ledger import chart
from galerie.ledger.checks import ledger_check_run
from galerie.ledger.models import EntryKind, JournalEntry, JournalLine
from galerie.ledger.postings import refund_plan
from galerie.orders.models import Order
from galerie.orders.services import order_place
from galerie.payments.models import Refund
from galerie.payments.refunds import order_refund
from galerie.reporting.selectors import AMOUNT_FIELDS, economics
from galerie.storefronts.models import Storefront
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)
from galerie.testing.subscriptions import ADDRESS, order_pay_by_transfer

CUTOFF = datetime.date(2026, 7, 10)
SETTLED_DAY = datetime.date(2026, 1, 5)  # long before cutoff − 90 days
OPEN_DAY = datetime.date(2026, 5, 20)  # within the 90 days before the cut-off
REOPENED_DAYS = (datetime.date(2026, 2, 10), datetime.date(2026, 4, 20))  # paid, partly refunded
LATE_DAY = datetime.date(2026, 7, 3)  # the cut-off's own month, before it
CASH = (chart.BANK, chart.PROVIDER_CLEARING, chart.CUSTOMERS)


ORDERS = ("settled", "open", "reopened", "late")


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def _paid_order(storefront, offers, *, email: str, day: datetime.date) -> Order:
    with simulated_clock(_moment(day)):
        order = order_place(
            storefront=storefront, email=email, lines=[(offer.pk, 2) for offer in offers],
            delivery_choices={}, shipping_address=dict(ADDRESS), billing_address=dict(ADDRESS),
            idempotency_key=f"open-orders-{email}",
        )  # fmt: skip
        return order_pay_by_transfer(order)


@pytest.fixture
def shop(db, tmp_path):
    """A storefront selling a third-party seller's and the operator's books: one order paid in
    January (settled), one in May (open at the 1 July cut-off), both exported."""
    books = make_category("Livres")
    storefront = make_storefront("lecture", name="Lecture", categories=[books])
    operator = make_seller("Galerie", is_operator=True, slug="galerie-operateur")
    offers = [
        make_offer(make_product("Roman", category=books), price="18.00", stock=20),
        make_offer(make_product("Essai", category=books), seller=operator, price="24.00", stock=20),
    ]
    settled = _paid_order(storefront, offers, email="ancien@example.fr", day=SETTLED_DAY)
    open_order = _paid_order(storefront, offers, email="recent@example.fr", day=OPEN_DAY)
    reopened = _paid_order(storefront, offers, email="retour@example.fr", day=REOPENED_DAYS[0])
    with simulated_clock(_moment(REOPENED_DAYS[1])):
        order_refund(order=reopened, idempotency_key="source-return",
                     lines={reopened.lines.order_by("pk").first().pk: 1})  # fmt: skip
    late = _paid_order(storefront, offers, email="juillet@example.fr", day=LATE_DAY)
    path = tmp_path / "lecture.zip"
    manifest = storefront_export(storefront=storefront, path=path, as_of=CUTOFF)
    return {"storefront": storefront, "settled": settled, "open": open_order, "path": path,
            "reopened": reopened, "late": late,
            "manifest": manifest, "category": books,
            "sellers": [operator, offers[0].seller]}  # fmt: skip


def _rows(path, name: str) -> list[dict]:
    with zipfile.ZipFile(path) as archive:
        text = archive.read(f"data/{name}.jsonl").decode()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _order_copy(order: Order, storefront) -> Order:
    """The order as the orders entities write it on the target (they are not on main yet):
    the order, its seller orders, lines and payments under new ids, in the target storefront."""
    seller_orders = list(order.seller_orders.order_by("pk"))
    lines = list(order.lines.order_by("pk"))
    payments = list(order.payments.order_by("pk"))
    copy = Order.objects.get(pk=order.pk)
    copy.pk, copy.public_id, copy.idempotency_key = None, uuid.uuid4(), None
    copy.storefront = storefront
    copy.save()
    seller_orders_map = {}
    for seller_order in seller_orders:
        source_pk = seller_order.pk
        seller_order.pk, seller_order.order = None, copy
        seller_order.save()
        seller_orders_map[source_pk] = seller_order.pk
    for line in lines:
        line.pk, line.order = None, copy
        line.seller_order_id = seller_orders_map[line.seller_order_id]
        line.save()
    for payment in payments:
        payment.pk, payment.order, payment.idempotency_key = None, copy, None
        payment.provider_ref = f"{payment.provider_ref}-bis"
        payment.save()
    return copy


def _imported(shop, monkeypatch) -> tuple[Storefront, dict[str, Order]]:
    """Import the archive's ledger into a new storefront, the orders copied there first (the
    import writes orders before the ledger) and the sellers and category matched to themselves
    in this same database."""
    target = make_storefront("lecture-bis", name="Lecture bis")
    orders = {key: _order_copy(shop[key], target) for key in ORDERS}
    maps = {
        "storefronts": {shop["storefront"].pk: target.pk},
        "sellers": {s.pk: s.pk for s in shop["sellers"]},
        "categories": {shop["category"].pk: shop["category"].pk},
        "orders": {shop[key].pk: order.pk for key, order in orders.items()},
    }

    def context(**kwargs):
        ctx = ImportContext(**kwargs)
        ctx.maps.update({name: dict(ids) for name, ids in maps.items()})
        return ctx

    monkeypatch.setattr(importer, "ENTITIES", ledger_entities.ENTITIES)
    monkeypatch.setattr(importer, "ImportContext", context)
    importer.storefront_import(path=shop["path"])
    return target, orders


# The payouts cross-check asks each captured payment for its capture entry by the key
# "capture:<payment id>", mapped through the payments file's ids; these tests copy the orders
# by hand and import the ledger files alone, so no payment id is mapped (the round trip in
# test_round_trip.py runs every check). Every other check must pass.
PAYMENTS_CHECK = "chaque paiement encaissé a son écriture, au même montant"


def _check_failures() -> dict:
    return {r.name: r.problems for r in ledger_check_run() if not r.ok and r.name != PAYMENTS_CHECK}


def _pl(storefront) -> dict:
    rows = economics(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31),
                     group_by=["storefront", "month", "seller", "category"],
                     storefront_ids=[storefront.pk])  # fmt: skip
    return {
        (row.month, row.seller_id, row.category_id): {n: getattr(row, n) for n in AMOUNT_FIELDS}
        for row in rows
    }


@pytest.mark.django_db
def test_an_open_orders_entries_travel_in_full_and_a_settled_ones_are_folded(shop):
    assert (CUTOFF - OPEN_DAY).days < OPEN_ORDER_DAYS < (CUTOFF - SETTLED_DAY).days

    entries = _rows(shop["path"], "ledger_entries")

    by_order = {}
    for row in entries:
        by_order.setdefault(row["order"], set()).add((row["kind"], row["date"]))
    assert shop["settled"].pk not in by_order
    assert (EntryKind.CAPTURE, OPEN_DAY.isoformat()) in by_order[shop["open"].pk]
    # Open because of a return 81 days before the cut-off: its February sale comes too.
    sale, refund = REOPENED_DAYS
    assert {(EntryKind.CAPTURE, sale.isoformat()), (EntryKind.REFUND, refund.isoformat())} <= (
        by_order[shop["reopened"].pk]
    )
    assert (EntryKind.CAPTURE, LATE_DAY.isoformat()) in by_order[shop["late"].pk]
    # Every line of the open order's entries comes along, and they balance.
    ids = {row["id"] for row in entries if row["order"] == shop["open"].pk}
    lines = [row for row in _rows(shop["path"], "ledger_lines") if row["entry"] in ids]
    source = JournalLine.objects.filter(entry__order_id=shop["open"].pk)
    assert len(lines) == source.count()
    assert sum(D(row["debit"]) for row in lines) == sum(D(row["credit"]) for row in lines)
    # The history holds the settled order's sale and nothing of the open ones', balanced.
    history = _rows(shop["path"], "ledger_history")
    assert {(row["month"], row["entry_kind"]) for row in history} == {
        ("2026-01-01", EntryKind.CAPTURE)
    }
    assert sum(D(row["debit"]) for row in history) == shop["settled"].total
    assert sum(D(row["debit"]) for row in history) == sum(D(row["credit"]) for row in history)
    assert shop["manifest"]["ledger"]["unbalanced_history_months"] == 0


@pytest.mark.django_db
def test_after_import_the_books_say_what_they_said_and_keep_the_open_orders_sale(shop, monkeypatch):
    target, orders = _imported(shop, monkeypatch)

    assert _check_failures() == {}
    assert _pl(target) == _pl(shop["storefront"])
    assert ledger_balances(storefront=target) == ledger_balances(storefront=shop["storefront"])
    assert shop["manifest"]["totals"]["ledger_balances"] == ledger_balances(storefront=target)
    open_order = orders["open"]
    capture = JournalEntry.objects.get(order_id=open_order.pk, kind=EntryKind.CAPTURE)
    assert (capture.date, capture.storefront_id, capture.order_ref) == (
        OPEN_DAY,
        target.pk,
        shop["open"].number,  # the number its customer knows (the import keeps it)
    )
    assert not JournalEntry.objects.filter(order_id=orders["settled"].pk).exists()


@pytest.mark.django_db
def test_refunding_open_orders_on_the_target_posts_balanced_refunds(shop, monkeypatch):
    target, orders = _imported(shop, monkeypatch)
    order = orders["open"]
    line = order.lines.order_by("pk").first()
    refunds_before = JournalEntry.objects.filter(kind=EntryKind.REFUND).count()

    order_refund(order=order, idempotency_key="target-partial", lines={line.pk: 1})
    order_refund(order=order, idempotency_key="target-rest")
    order_refund(order=orders["reopened"], idempotency_key="target-reopened-rest")
    order_refund(order=orders["late"], idempotency_key="target-late")

    assert JournalEntry.objects.filter(kind=EntryKind.REFUND).count() == refunds_before + 4
    for key in ("open", "reopened", "late"):
        order = orders[key]
        refunds = JournalEntry.objects.filter(
            order_id=order.pk, kind=EntryKind.REFUND, date__gt=CUTOFF
        )
        assert set(refunds.values_list("storefront_id", flat=True)) == {target.pk}
        for entry in refunds:
            sums = entry.lines.aggregate(d=Sum("debit"), c=Sum("credit"))
            assert sums["d"] == sums["c"] > 0
        cash = JournalLine.objects.filter(entry__in=refunds, account__code__in=CASH)
        paid_back = cash.aggregate(c=Sum("credit"))["c"] - (cash.aggregate(d=Sum("debit"))["d"])
        given = Refund.objects.filter(order=order, idempotency_key__startswith="target-")
        order.refresh_from_db()
        assert order.refunded_total == order.total
        assert paid_back == given.aggregate(a=Sum("amount"))["a"] > 0
        # Nothing of the sale is left to give back: the target's ledger knows the order whole.
        assert refund_plan(order=order, quantities=None).splits == []
    assert Refund.objects.get(idempotency_key="target-partial").amount == line.unit_price
    assert _check_failures() == {}


def _ctx(maps: dict) -> ImportContext:
    ctx = ImportContext(archive_import=None, manifest={"cutoff": CUTOFF.isoformat()})
    ctx.maps.update(maps)
    return ctx


def _entry_row(**changes) -> dict:
    row = {"id": 7, "journal": "VE", "piece": "VE000007", "date": "2026-05-20",
           "label": "Vente", "reference": "", "kind": EntryKind.CAPTURE, "order": None,
           "order_ref": "C-1", "idempotency_key": None, "storefront": 1,
           "reverses": None}  # fmt: skip
    return {**row, **changes}


def test_an_entry_before_the_cutoff_comes_in_only_with_an_order_of_the_archive():
    entries = LedgerEntries()

    with pytest.raises(ArchiveError, match="antérieure à la date de coupure"):
        entries.build(_entry_row(), _ctx({"orders": {5: 50}}), line=3)
    with pytest.raises(ArchiveError, match="orders n° 6 inconnue"):
        entries.build(_entry_row(order=6), _ctx({"orders": {5: 50}}), line=3)

    built = entries.build(_entry_row(order=5), _ctx({"orders": {5: 50}}), line=3)
    assert built.date == OPEN_DAY

"""The storefront's slice of the ledger travels: history folded per month before the cut-off,
every entry after it, and the books on the target say exactly what they said on the source."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import transaction

from galerie.carveout import importer
from galerie.carveout.archive import ArchiveError
from galerie.carveout.entities import ledger as ledger_entities
from galerie.carveout.entities.base import ImportContext
from galerie.carveout.entities.ledger import ledger_balances
from galerie.carveout.export import storefront_export
from galerie.ledger import chart
from galerie.ledger.checks import ledger_check_run
from galerie.ledger.models import Account, EntryKind, Journal, JournalEntry, JournalLine
from galerie.ledger.services import (
    LineSpec,
    SaleSplit,
    journal_post,
    ledger_post_capture,
    ledger_post_payment_fee,
    ledger_post_payout,
    ledger_post_refund,
)
from galerie.reporting.chart import FixedCostKind
from galerie.reporting.selectors import AMOUNT_FIELDS, economics
from galerie.reporting.services import fixed_cost_record, fixed_cost_reverse
from galerie.testing.factories import make_category, make_seller, make_storefront

CUTOFF = datetime.date(2026, 3, 15)
MONTHS = [datetime.date(2026, m, 1) for m in range(1, 6)]


@pytest.fixture
def shop(db):
    """A storefront with sales before and after the cut-off, a refund, payment fees, goods
    sold at cost, fixed costs (one reversed), a payout (no storefront), another storefront's
    sale, and two entries that mix storefronts (one on each side of the cut-off)."""
    operator = make_seller("Galerie", is_operator=True, slug="galerie-operateur")
    alpha = make_seller("Bouquinerie Alpha", legal_name="Alpha Livres SARL")
    books, music = make_category("Livres"), make_category("Musique")
    lecture = make_storefront("lecture", name="Lecture")
    other = make_storefront("ailleurs", name="Ailleurs")

    def sale(day, storefront, amount, commission="3.75", vat="4.00", refund=False):
        splits = [
            SaleSplit(seller_id=alpha.pk, category_id=books.pk, amount=D(amount),
                      commission=D(commission), commission_vat=D(commission) / 5),
            SaleSplit(seller_id=operator.pk, category_id=music.pk, amount=D("24.00"),
                      vat=D(vat)),
        ]  # fmt: skip
        post = ledger_post_refund if refund else ledger_post_capture
        return post(date=day, storefront_id=storefront.pk, splits=splits, order_ref="C-1")

    with transaction.atomic():
        for day in (datetime.date(2026, 1, 10), datetime.date(2026, 2, 20)):
            sale(day, lecture, "30.00")
            ledger_post_payment_fee(date=day, amount=D("0.80"), storefront_id=lecture.pk)
        sale(datetime.date(2026, 3, 3), lecture, "60.00", commission="7.50")
        sale(datetime.date(2026, 3, 20), lecture, "45.00", commission="6.00")
        sale(datetime.date(2026, 4, 2), lecture, "30.00", refund=True)
        sale(datetime.date(2026, 4, 2), other, "99.00", commission="12.00")
        journal_post(
            journal=chart.JOURNAL_MISC,
            date=datetime.date(2026, 4, 3),
            label="Coût des ventes",
            storefront=lecture,
            lines=[
                LineSpec(account=chart.PURCHASES, debit=D("11.00"), seller_id=operator.pk,
                         category_id=music.pk),
                LineSpec(account=chart.SUPPLIERS, credit=D("11.00"), seller_id=operator.pk),
            ],
        )  # fmt: skip
        ledger_post_payout(date=datetime.date(2026, 3, 25), seller_id=alpha.pk, amount=D("20"))
        for day in (datetime.date(2026, 2, 11), datetime.date(2026, 4, 10)):
            journal_post(
                journal=chart.JOURNAL_MISC,
                date=day,
                label="Frais partagés entre boutiques",
                lines=[
                    LineSpec(account=chart.BANK, credit=D("10.00"), storefront_id=lecture.pk),
                    LineSpec(account=chart.PAYMENT_FEES, debit=D("10.00"),
                             storefront_id=other.pk),
                ],
            )  # fmt: skip
    fixed_cost_record(
        storefront=lecture,
        month=datetime.date(2026, 2, 1),
        kind=FixedCostKind.STAFF,
        amount=D("500.00"),
        label="Salaires",
    )
    april = fixed_cost_record(
        storefront=lecture,
        month=datetime.date(2026, 4, 1),
        kind=FixedCostKind.RENT,
        amount=D("300.00"),
        label="Loyer",
    )
    fixed_cost_reverse(cost=april, reason="Erreur de saisie")  # fmt: skip
    return {"storefront": lecture, "other": other, "sellers": [operator, alpha],
            "categories": [books, music]}  # fmt: skip


def _export(shop, tmp_path):
    path = tmp_path / "lecture.zip"
    manifest = storefront_export(storefront=shop["storefront"], path=path, as_of=CUTOFF)
    return path, manifest


@pytest.fixture
def into(monkeypatch):
    """Import only the ledger's files, the maps of the entities before them seeded as the other
    entity modules would write them (sellers and categories matched to themselves in this same
    database, the storefront a new one)."""

    def run(path, shop, target):
        maps = {
            "storefronts": {shop["storefront"].pk: target.pk},
            "sellers": {s.pk: s.pk for s in shop["sellers"]},
            "categories": {c.pk: c.pk for c in shop["categories"]},
            "orders": {},
        }

        def context(**kwargs):
            ctx = ImportContext(**kwargs)
            ctx.maps.update({name: dict(ids) for name, ids in maps.items()})
            return ctx

        monkeypatch.setattr(importer, "ENTITIES", ledger_entities.ENTITIES)
        monkeypatch.setattr(importer, "ImportContext", context)
        return importer.storefront_import(path=path)

    return run


def _by_month(storefront, group_by=("month",)):
    rows = economics(start=MONTHS[0], end=datetime.date(2026, 5, 31), group_by=["storefront",
                     *group_by], storefront_ids=[storefront.pk])  # fmt: skip
    return {
        tuple(getattr(row, f"{name}_id" if name != "month" else name) for name in group_by): {
            name: getattr(row, name) for name in AMOUNT_FIELDS
        }
        for row in rows
    }


@pytest.mark.django_db
def test_round_trip_keeps_every_months_pl_and_the_balances(shop, tmp_path, into):
    path, manifest = _export(shop, tmp_path)
    target = make_storefront("lecture-2", name="Lecture bis")

    result = into(path, shop, target)

    failed = {r.name: r.problems for r in ledger_check_run() if not r.ok}
    assert failed == {}
    source = _by_month(shop["storefront"])
    assert set(source) == {(m,) for m in MONTHS[:4]}
    assert source[(MONTHS[1],)]["fixed_costs"] == D("500.00")
    assert source[(MONTHS[3],)]["refunds"] == D("54.00")
    assert _by_month(target) == source
    by_category = _by_month(shop["storefront"], ("category", "seller", "month"))
    assert _by_month(target, ("category", "seller", "month")) == by_category
    assert ledger_balances(storefront=target) == ledger_balances(storefront=shop["storefront"])
    assert manifest["totals"]["ledger_balances"] == ledger_balances(storefront=target)
    assert result.report["ledger_entries"]["created"] == manifest["counts"]["ledger_entries"]


@pytest.mark.django_db
def test_the_slice_leaves_payouts_and_other_storefronts_behind(shop, tmp_path):
    _path, manifest = _export(shop, tmp_path)

    balances = manifest["totals"]["ledger_balances"]
    # Alpha's part of four sales (25.50 + 25.50 + 51.00 + 37.80) less a refund (25.50); the
    # payout of 20.00 (no storefront) stayed behind.
    assert balances[chart.SELLER_PAYABLES] == "-114.30"
    assert chart.COMMISSION_REVENUE in balances
    # The shared costs' other halves belong to "Ailleurs": the slice holds only the bank side.
    assert manifest["ledger"]["unbalanced_entries"] == 1
    assert manifest["ledger"]["unbalanced_history_months"] == 1
    assert manifest["counts"]["ledger_history"] > 0


@pytest.mark.django_db
def test_history_is_one_entry_per_month_and_kind_dated_at_month_end(shop, tmp_path, into):
    path, manifest = _export(shop, tmp_path)
    target = make_storefront("lecture-2", name="Lecture bis")

    into(path, shop, target)

    history = JournalEntry.objects.filter(label__startswith="Reprise — historique")
    assert sorted(set(history.values_list("date", flat=True))) == [
        datetime.date(2026, 1, 31),
        datetime.date(2026, 2, 28),
        datetime.date(2026, 3, 14),  # the cut-off's month, up to the day before it
    ]
    kinds = set(history.filter(date=datetime.date(2026, 1, 31)).values_list("kind", flat=True))
    assert kinds == {EntryKind.CAPTURE, EntryKind.PAYMENT_FEE}
    # February's manual entries held a line whose counterpart stayed with "Ailleurs".
    suspense = JournalLine.objects.get(
        account__code=chart.SUSPENSE, date=datetime.date(2026, 2, 28)
    )
    assert (suspense.debit, suspense.storefront_id) == (D("10.00"), None)


@pytest.mark.django_db
def test_entries_after_the_cutoff_keep_their_piece_kind_and_reversal(shop, tmp_path, into):
    path, _manifest = _export(shop, tmp_path)
    target = make_storefront("lecture-2", name="Lecture bis")
    before = dict(Journal.objects.values_list("code", "last_number"))

    into(path, shop, target)

    def entries(storefront):
        found = JournalEntry.objects.filter(lines__storefront=storefront, date__gte=CUTOFF)
        return found.distinct().select_related("journal").order_by("pk")

    source, imported = list(entries(shop["storefront"])), list(entries(target))
    assert len(source) == 6  # a sale, a refund, goods sold, a shared cost, rent, its reversal
    assert [e.reference for e in imported] == [e.piece_number for e in source]
    assert [(e.date, e.kind, e.label) for e in imported] == [
        (e.date, e.kind, e.label) for e in source
    ]
    reversal = next(e for e in imported if e.kind == EntryKind.REVERSAL)
    assert reversal.reverses in imported
    after = dict(Journal.objects.values_list("code", "last_number"))
    assert after["VE"] - before["VE"] == sum(e.journal.code == "VE" for e in imported)
    assert [r.name for r in ledger_check_run() if not r.ok] == []


@pytest.mark.django_db
def test_importing_twice_changes_nothing(shop, tmp_path, into):
    path, _manifest = _export(shop, tmp_path)
    target = make_storefront("lecture-2", name="Lecture bis")
    into(path, shop, target)
    state = (
        JournalEntry.objects.count(),
        JournalLine.objects.count(),
        sorted(Journal.objects.values_list("code", "last_number")),
        sorted(Account.objects.values_list("code", "debit_total", "credit_total")),
    )

    again = into(path, shop, target)

    assert again.already_done
    assert state == (
        JournalEntry.objects.count(),
        JournalLine.objects.count(),
        sorted(Journal.objects.values_list("code", "last_number")),
        sorted(Account.objects.values_list("code", "debit_total", "credit_total")),
    )


@pytest.mark.django_db
def test_an_account_that_means_something_else_here_is_refused_before_writing(shop, tmp_path, into):
    path, _manifest = _export(shop, tmp_path)
    target = make_storefront("lecture-2", name="Lecture bis")
    Account.objects.filter(code="641000").update(kind="revenue")
    entries = JournalEntry.objects.count()

    with pytest.raises(ArchiveError, match="641000 existe ici avec un autre sens"):
        into(path, shop, target)

    assert JournalEntry.objects.count() == entries

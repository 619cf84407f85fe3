"""Posting entries: refusals write nothing, immutability, reversal, idempotency, money flows."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from galerie.ledger import chart
from galerie.ledger.checks import ledger_check_run
from galerie.ledger.errors import LedgerError
from galerie.ledger.models import (
    Account,
    EntryKind,
    Journal,
    JournalEntry,
    JournalLine,
    LedgerTotal,
)
from galerie.ledger.selectors import account_balance, seller_payable_balance
from galerie.ledger.services import (
    EntrySpec,
    LineSpec,
    SaleSplit,
    journal_import,
    journal_post,
    journal_reverse,
    ledger_post_capture,
    ledger_post_customer_receipt,
    ledger_post_payment_fee,
    ledger_post_payout,
    ledger_post_provider_settlement,
    ledger_post_refund,
)

from .conftest import DAY
from .helpers import ledger_snapshot

D = Decimal


def post(lines, **kw):
    kw.setdefault("journal", "OD")
    kw.setdefault("date", DAY)
    kw.setdefault("label", "Test")
    return journal_post(lines=lines, **kw)


def bank_to_clearing(amount="10.00", **kw):
    return post(
        [
            LineSpec(account=chart.BANK, debit=D(amount)),
            LineSpec(account=chart.PROVIDER_CLEARING, credit=D(amount)),
        ],
        **kw,
    )


BAD_ENTRIES = {
    "unbalanced": (
        [LineSpec(account=chart.BANK, debit=D("10.00")),
         LineSpec(account=chart.PROVIDER_CLEARING, credit=D("9.99"))],
        "Écriture déséquilibrée : débit 10.00 € ≠ crédit 9.99 € (écart 0.01 €).",
    ),
    "one_line": (
        [LineSpec(account=chart.BANK, debit=D("10.00"))],
        "Une écriture compte au moins deux lignes.",
    ),
    "no_line": ([], "Une écriture compte au moins deux lignes."),
    "negative": (
        [LineSpec(account=chart.BANK, debit=D("-10.00")),
         LineSpec(account=chart.PROVIDER_CLEARING, credit=D("-10.00"))],
        "Ligne 1 : montant négatif (-10.00 €) refusé.",
    ),
    "both_sides": (
        [LineSpec(account=chart.BANK, debit=D("10.00"), credit=D("10.00")),
         LineSpec(account=chart.PROVIDER_CLEARING, credit=D("10.00")),
         LineSpec(account=chart.PAYMENT_FEES, debit=D("10.00"))],
        "Ligne 1 : un montant au débit OU au crédit, pas les deux.",
    ),
    "zero_line": (
        [LineSpec(account=chart.BANK, debit=D("10.00")),
         LineSpec(account=chart.PROVIDER_CLEARING, credit=D("10.00")),
         LineSpec(account=chart.PAYMENT_FEES)],
        "Ligne 3 : montant nul.",
    ),
    "fraction_of_cent": (
        [LineSpec(account=chart.BANK, debit=D("10.005")),
         LineSpec(account=chart.PROVIDER_CLEARING, credit=D("10.005"))],
        "Ligne 1 : 10.005 € n'est pas arrondi au centime.",
    ),
    "float": (
        [LineSpec(account=chart.BANK, debit=10.0),
         LineSpec(account=chart.PROVIDER_CLEARING, credit=10.0)],
        "Ligne 1 : un montant s'exprime en Decimal, jamais en float.",
    ),
    "unknown_account": (
        [LineSpec(account="999999", debit=D("10.00")),
         LineSpec(account=chart.PROVIDER_CLEARING, credit=D("10.00"))],
        "Compte comptable inconnu « 999999 ».",
    ),
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BAD_ENTRIES))
def test_bad_entry_is_refused_and_nothing_is_written(case):
    lines, message = BAD_ENTRIES[case]
    bank_to_clearing("5.00")
    before = ledger_snapshot()

    with pytest.raises(LedgerError) as refused:
        post(lines)

    assert refused.value.message == message
    assert ledger_snapshot() == before


@pytest.mark.django_db
def test_unknown_journal_and_empty_label_are_refused():
    lines = BAD_ENTRIES["unbalanced"][0][:1] + [
        LineSpec(account=chart.PROVIDER_CLEARING, credit=D("10.00"))
    ]
    before = ledger_snapshot()
    with pytest.raises(LedgerError, match="Journal inconnu « XX »"):
        post(lines, journal="XX")
    with pytest.raises(LedgerError, match="Une écriture a un libellé."):
        post(lines, label="  ")
    with pytest.raises(LedgerError, match="date"):
        post(lines, date=datetime.datetime(2026, 3, 14, 12, 0))
    assert ledger_snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_posting_outside_a_transaction_is_refused():
    with pytest.raises(LedgerError) as refused:
        bank_to_clearing()
    assert refused.value.code == "ledger_no_transaction"
    assert not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_entry_numbers_are_sequential_per_journal():
    first = bank_to_clearing()
    second = bank_to_clearing()
    other = bank_to_clearing(journal="BQ")
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert first.piece_number == "OD000001"
    assert Journal.objects.get(code="OD").last_number == 2


@pytest.mark.django_db
def test_balances_follow_the_lines():
    bank_to_clearing("10.00")
    bank_to_clearing("2.50")
    bank = Account.objects.get(code=chart.BANK)
    clearing = Account.objects.get(code=chart.PROVIDER_CLEARING)
    assert account_balance(account=bank) == D("12.50")
    assert account_balance(account=clearing) == D("-12.50")
    assert (bank.debit_total, bank.credit_total) == (D("12.50"), D("0"))
    assert clearing.balance == D("-12.50")
    assert account_balance(account=bank, end=DAY - datetime.timedelta(days=1)) == D("0")


# --- immutability ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_posted_entry_and_lines_cannot_be_changed_or_deleted_through_django():
    entry = bank_to_clearing()
    line = entry.lines.first()
    entry.label = "Changé"
    line.debit = D("99.00")
    for attempt in (entry.save, entry.delete, line.save, line.delete):
        with pytest.raises(LedgerError, match="contre-passation"):
            attempt()
    with pytest.raises(LedgerError):
        JournalLine.objects.filter(pk=line.pk).update(debit=D("99.00"))
    with pytest.raises(LedgerError):
        JournalEntry.objects.all().delete()
    entry.refresh_from_db()
    line.refresh_from_db()
    assert (entry.label, line.debit) == ("Test", D("10.00"))


@pytest.mark.django_db
def test_database_trigger_refuses_a_raw_update():
    entry = bank_to_clearing()
    with (
        pytest.raises(DatabaseError, match="ledger_immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE ledger_journalline SET debit = 99 WHERE entry_id = %s AND debit > 0",
            [entry.pk],
        )
    assert entry.lines.get(debit__gt=0).debit == D("10.00")


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_trigger_refuses_a_raw_delete():
    entry = bank_to_clearing()
    with (
        pytest.raises(DatabaseError, match="ledger_immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM ledger_journalline WHERE entry_id = %s", [entry.pk])
    assert entry.lines.count() == 2


# --- reversal and idempotency ------------------------------------------------------------------


@pytest.mark.django_db
def test_reversal_mirrors_the_entry_and_brings_balances_back():
    entry = bank_to_clearing("10.00", reference="PIECE-1")
    reversal = journal_reverse(entry=entry, date=DAY, label="Annulation")

    assert reversal.reverses == entry
    assert reversal.kind == EntryKind.REVERSAL
    assert reversal.reference == "PIECE-1"
    mirrored = {(li.account.code, li.debit, li.credit) for li in reversal.lines.all()}
    assert mirrored == {(chart.BANK, D("0"), D("10.00")), (chart.PROVIDER_CLEARING, D("10.00"), 0)}
    assert account_balance(account=Account.objects.get(code=chart.BANK)) == 0
    assert Account.objects.get(code=chart.BANK).balance == 0


@pytest.mark.django_db
def test_an_entry_is_reversed_once_and_a_reversal_is_not_reversed():
    entry = bank_to_clearing()
    reversal = journal_reverse(entry=entry, date=DAY, label="Annulation")
    before = ledger_snapshot()
    with pytest.raises(LedgerError, match="déjà contre-passée"):
        journal_reverse(entry=entry, date=DAY, label="Encore")
    with pytest.raises(LedgerError, match="ne se contre-passe pas"):
        journal_reverse(entry=reversal, date=DAY, label="Encore")
    assert ledger_snapshot() == before


@pytest.mark.django_db
def test_idempotency_key_posts_once():
    first = bank_to_clearing("10.00", idempotency_key="capture:1")
    again = bank_to_clearing("10.00", idempotency_key="capture:1")
    assert again.pk == first.pk
    assert JournalEntry.objects.count() == 1
    assert Account.objects.get(code=chart.BANK).debit_total == D("10.00")


@pytest.mark.django_db
def test_idempotency_key_reused_for_another_entry_is_refused():
    bank_to_clearing("10.00", idempotency_key="capture:1")
    before = ledger_snapshot()
    with pytest.raises(LedgerError) as refused:
        bank_to_clearing("11.00", idempotency_key="capture:1")
    assert refused.value.code == "ledger_idempotency_conflict"
    assert ledger_snapshot() == before


# --- money flows --------------------------------------------------------------------------------


def lines_of(entry):
    return sorted(
        (li.account.code, li.debit, li.credit, li.seller_id, li.category_id)
        for li in entry.lines.select_related("account")
    )


@pytest.mark.django_db
def test_capture_splits_payables_commission_and_own_sales(
    operator, seller_a, storefront, books, music
):
    entry = ledger_post_capture(
        date=DAY,
        storefront_id=storefront.pk,
        order_id=42,
        order_ref="C-42",
        idempotency_key="capture:42",
        splits=[
            # a third-party book for 30 €, commission 15 % TTC = 4.50 = 3.75 HT + 0.75 VAT
            SaleSplit(seller_id=seller_a.pk, category_id=books.pk, amount=D("30.00"),
                      commission=D("3.75"), commission_vat=D("0.75")),
            SaleSplit(seller_id=seller_a.pk, amount=D("4.00"), is_delivery=True),
            # the operator's own CD for 24 € incl. 20 % VAT, and its delivery
            SaleSplit(seller_id=operator.pk, category_id=music.pk, amount=D("24.00"),
                      vat=D("4.00")),
            SaleSplit(seller_id=operator.pk, amount=D("6.00"), vat=D("1.00"), is_delivery=True),
        ],
    )  # fmt: skip

    payable = f"467100-V{seller_a.pk:06d}"
    z = D("0")
    assert lines_of(entry) == sorted(
        [
            (chart.PROVIDER_CLEARING, D("30.00"), z, seller_a.pk, books.pk),
            (chart.PROVIDER_CLEARING, D("4.00"), z, seller_a.pk, None),
            (chart.PROVIDER_CLEARING, D("24.00"), z, operator.pk, music.pk),
            (chart.PROVIDER_CLEARING, D("6.00"), z, operator.pk, None),
            (payable, z, D("25.50"), seller_a.pk, books.pk),
            (payable, z, D("4.00"), seller_a.pk, None),
            (chart.COMMISSION_REVENUE, z, D("3.75"), seller_a.pk, books.pk),
            (chart.VAT_COLLECTED, z, D("0.75"), seller_a.pk, books.pk),
            (chart.OWN_SALES, z, D("20.00"), operator.pk, music.pk),
            (chart.VAT_COLLECTED, z, D("4.00"), operator.pk, music.pk),
            (chart.DELIVERY_REVENUE, z, D("5.00"), operator.pk, None),
            (chart.VAT_COLLECTED, z, D("1.00"), operator.pk, None),
        ]
    )
    assert entry.journal.code == "VE"
    assert (entry.kind, entry.order_id, entry.order_ref) == ("capture", 42, "C-42")
    assert set(entry.lines.values_list("storefront_id", flat=True)) == {storefront.pk}
    assert seller_payable_balance(seller_id=seller_a.pk) == D("29.50")


@pytest.mark.django_db
def test_refund_gives_back_the_commission_pro_rata(seller_a, storefront, books):
    split = SaleSplit(seller_id=seller_a.pk, category_id=books.pk, amount=D("30.00"),
                      commission=D("3.75"), commission_vat=D("0.75"))  # fmt: skip
    ledger_post_capture(date=DAY, storefront_id=storefront.pk, splits=[split])
    refund = ledger_post_refund(
        date=DAY,
        storefront_id=storefront.pk,
        splits=[SaleSplit(seller_id=seller_a.pk, category_id=books.pk, amount=D("15.00"),
                          commission=D("1.88"), commission_vat=D("0.37"))],
    )  # fmt: skip
    z = D("0")
    assert lines_of(refund) == sorted(
        [
            (chart.PROVIDER_CLEARING, z, D("15.00"), seller_a.pk, books.pk),
            (f"467100-V{seller_a.pk:06d}", D("12.75"), z, seller_a.pk, books.pk),
            (chart.COMMISSION_REBATES, D("1.88"), z, seller_a.pk, books.pk),
            (chart.VAT_COLLECTED, D("0.37"), z, seller_a.pk, books.pk),
        ]
    )
    assert seller_payable_balance(seller_id=seller_a.pk) == D("12.75")


@pytest.mark.django_db
def test_bad_splits_are_refused(operator, seller_a, storefront):
    cases = [
        (SaleSplit(seller_id=seller_a.pk, amount=D("10.00"), commission=D("10.00"),
                   commission_vat=D("2.00")), "dépasse le montant"),
        (SaleSplit(seller_id=seller_a.pk, amount=D("10.00"), vat=D("1.67")),
         "n'est pas collectée par la galerie"),
        (SaleSplit(seller_id=operator.pk, amount=D("10.00"), commission=D("1.00")),
         "ne se facture pas de commission"),
        (SaleSplit(seller_id=operator.pk, amount=D("10.00"), vat=D("10.00")),
         "la TVA dépasse le montant"),
        (SaleSplit(seller_id=seller_a.pk, amount=D("0")), "montant nul"),
        (SaleSplit(seller_id=seller_a.pk, amount=D("-5.00")), "négatif"),
        (SaleSplit(seller_id=999999, amount=D("5.00")), "Vendeur inconnu"),
    ]  # fmt: skip
    before = ledger_snapshot()
    for split, message in cases:
        with pytest.raises(LedgerError, match=message):
            ledger_post_capture(date=DAY, storefront_id=storefront.pk, splits=[split])
    with pytest.raises(LedgerError, match="Moyen d'encaissement inconnu"):
        ledger_post_capture(
            date=DAY, storefront_id=storefront.pk, splits=cases[0][:1], via="cheque"
        )
    assert ledger_snapshot() == before


@pytest.mark.django_db
def test_payout_pays_the_balance_and_never_more(seller_a, storefront, books):
    ledger_post_capture(
        date=DAY,
        storefront_id=storefront.pk,
        splits=[SaleSplit(seller_id=seller_a.pk, category_id=books.pk, amount=D("50.00"),
                          commission=D("5.00"), commission_vat=D("1.00"))],
    )  # fmt: skip
    before = ledger_snapshot()
    with pytest.raises(LedgerError) as refused:
        ledger_post_payout(date=DAY, seller_id=seller_a.pk, amount=D("44.01"))
    assert refused.value.message == (
        "Versement de 44,01\xa0€ refusé : la galerie ne doit que 44,00\xa0€ à ce vendeur."
    )
    assert ledger_snapshot() == before

    payout = ledger_post_payout(
        date=DAY, seller_id=seller_a.pk, amount=D("44.00"), idempotency_key="payout:1"
    )
    again = ledger_post_payout(
        date=DAY, seller_id=seller_a.pk, amount=D("44.00"), idempotency_key="payout:1"
    )
    assert again.pk == payout.pk
    assert payout.journal.code == "BQ"
    assert seller_payable_balance(seller_id=seller_a.pk) == 0
    assert account_balance(account=Account.objects.get(code=chart.BANK)) == D("-44.00")


@pytest.mark.django_db
def test_operator_is_never_paid_out(operator):
    with pytest.raises(LedgerError, match="L'opérateur n'a pas de compte de vendeur tiers"):
        ledger_post_payout(date=DAY, seller_id=operator.pk, amount=D("1.00"))


@pytest.mark.django_db
def test_fee_settlement_and_bank_transfer_receipt(seller_a, storefront):
    fee = ledger_post_payment_fee(
        date=DAY, amount=D("0.45"), vat=D("0.09"), storefront_id=storefront.pk, order_id=7
    )
    assert lines_of(fee) == sorted(
        [
            (chart.PAYMENT_FEES, D("0.45"), D("0"), None, None),
            (chart.VAT_DEDUCTIBLE, D("0.09"), D("0"), None, None),
            (chart.PROVIDER_CLEARING, D("0"), D("0.54"), None, None),
        ]
    )
    ledger_post_capture(
        date=DAY,
        storefront_id=storefront.pk,
        splits=[SaleSplit(seller_id=seller_a.pk, amount=D("20.00"))],
    )
    ledger_post_provider_settlement(date=DAY, amount=D("19.46"))
    ledger_post_capture(
        date=DAY,
        storefront_id=storefront.pk,
        via="customer",
        splits=[SaleSplit(seller_id=seller_a.pk, amount=D("30.00"))],
    )
    assert account_balance(account=Account.objects.get(code=chart.CUSTOMERS)) == D("30.00")
    ledger_post_customer_receipt(date=DAY, amount=D("30.00"), order_id=8)
    assert account_balance(account=Account.objects.get(code=chart.CUSTOMERS)) == 0
    assert account_balance(account=Account.objects.get(code=chart.PROVIDER_CLEARING)) == 0
    assert account_balance(account=Account.objects.get(code=chart.BANK)) == D("49.46")
    assert seller_payable_balance(seller_id=seller_a.pk) == D("50.00")


def test_commission_vat_is_the_pricing_vat_from_gross(settings):
    """One VAT-from-gross rule: the commission split calls pricing.vat_amount (rate in percent);
    the setting stays a fraction."""
    from galerie.ledger.postings import _commission_split, commission_vat_rate
    from galerie.pricing.services import vat_amount

    settings.GALERIE_COMMISSION_VAT_RATE = "0.20"
    assert commission_vat_rate() == D("20")
    for gross in (D("24.00"), D("0.01"), D("0.05"), D("1.99"), D("119.99")):
        net, vat = _commission_split(gross)
        assert vat == vat_amount(ttc=gross, rate=D("20"))
        assert net + vat == gross
    assert _commission_split(D("24.00")) == (D("20.00"), D("4.00"))
    settings.GALERIE_COMMISSION_VAT_RATE = "0.055"
    assert _commission_split(D("10.55")) == (D("10.00"), D("0.55"))


@pytest.mark.django_db
def test_chart_seeded_by_migration_matches_the_code():
    seeded = {
        a.code: (a.number, a.name, a.kind) for a in Account.objects.filter(code__in=chart.CHART)
    }
    assert seeded == {n: (n, d.name, d.kind) for n, d in chart.CHART.items()}
    assert dict(Journal.objects.values_list("code", "name")) == chart.JOURNALS


@pytest.mark.django_db
def test_capture_query_count_is_pinned(
    operator, seller_a, storefront, books, django_assert_max_num_queries
):
    splits = [
        SaleSplit(seller_id=seller_a.pk, category_id=books.pk, amount=D("30.00"),
                  commission=D("3.75"), commission_vat=D("0.75")),
        SaleSplit(seller_id=operator.pk, category_id=books.pk, amount=D("24.00"), vat=D("4.00")),
    ]  # fmt: skip
    ledger_post_capture(date=DAY, storefront_id=storefront.pk, splits=splits)
    # lock, sellers, sub-account, accounts, number, entry, lines, 5 account and 7 monthly totals
    with django_assert_max_num_queries(22):
        ledger_post_capture(date=DAY, storefront_id=storefront.pk, splits=splits)


# --- journal_import: the bulk path of a storefront's ledger taken in ---------------------------


def _sale(amount: str, *, journal="VE", kind=EntryKind.CAPTURE, storefront_id=None, **kw):
    return EntrySpec(
        journal=journal,
        date=DAY,
        label="Reprise",
        kind=kind,
        storefront_id=storefront_id,
        lines=[
            LineSpec(account=chart.PROVIDER_CLEARING, debit=D(amount)),
            LineSpec(account=chart.OWN_SALES, credit=D(amount)),
        ],
        **kw,
    )


@pytest.mark.django_db
def test_journal_import_numbers_after_posted_entries_and_keeps_every_check(storefront):
    with transaction.atomic():
        spec = _sale("12.00", storefront_id=storefront.pk)
        journal_post(journal="VE", date=DAY, label="Vente", lines=spec.lines, kind=spec.kind,
                     storefront=storefront)  # fmt: skip
        last = dict(Journal.objects.values_list("code", "last_number"))

        posted = journal_import(
            entries=[
                _sale("10.00", storefront_id=storefront.pk),
                _sale("5.00", journal="OD", kind=EntryKind.MANUAL),
                _sale("2.50", storefront_id=storefront.pk, reference="VE000042"),
            ]
        )

    assert [(e.journal.code, e.number) for e in posted] == [
        ("VE", last["VE"] + 1),
        ("OD", last["OD"] + 1),
        ("VE", last["VE"] + 2),
    ]
    assert [e.lines.count() for e in posted] == [2, 2, 2]
    assert JournalEntry.objects.get(pk=posted[2].pk).reference == "VE000042"
    assert [r.name for r in ledger_check_run() if not r.ok] == []
    clearing = Account.objects.get(code=chart.PROVIDER_CLEARING)
    assert clearing.debit_total == D("29.50")
    total = LedgerTotal.objects.get(
        account=clearing, storefront=storefront, entry_kind=EntryKind.CAPTURE
    )
    assert total.debit == D("24.50")  # the capture posted before, and two imported ones


def test_journal_import_refuses_an_unbalanced_entry_and_writes_nothing(db):
    before = ledger_snapshot()
    bad = EntrySpec(
        journal="OD",
        date=DAY,
        label="Reprise",
        lines=[
            LineSpec(account=chart.BANK, debit=D("10.00")),
            LineSpec(account=chart.OWN_SALES, credit=D("9.99")),
        ],
    )

    with transaction.atomic(), pytest.raises(LedgerError, match="Écriture 2 : .*déséquilibrée"):
        journal_import(entries=[_sale("1.00", journal="OD"), bad])

    assert ledger_snapshot() == before

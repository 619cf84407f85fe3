"""The payout run: who is paid, how much, once; its statements and SEPA file."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from galerie.core.errors import DomainError
from galerie.ledger.checks import ledger_check_run
from galerie.ledger.models import EntryKind, JournalEntry
from galerie.ledger.selectors import seller_payable_balance
from galerie.payments.refunds import order_refund
from galerie.payouts.documents import (
    payout_run_sepa_xml,
    payout_statement_csv,
    payout_statement_pdf,
)
from galerie.payouts.models import Payout, PayoutRun, StatementKind, StatementLine
from galerie.payouts.services import payout_run
from galerie.sellers.models import Seller, SellerStatus

D = Decimal
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def _today():
    return timezone.localdate()


def _ledger_clean():
    assert {r.name: r.problems for r in ledger_check_run() if not r.ok} == {}


@pytest.fixture
def delivered(mall, place, pay, deliver):
    """Seller A: one order delivered 20 days ago (40.00 − 4.50 + delivery); seller B: one
    delivered 3 days ago (still in the withdrawal window)."""
    order_a = place([(mall["offer_a"].pk, 2)])
    pay(order_a)
    part_a = deliver(order_a.seller_orders.get(), days_ago=20)
    order_b = place([(mall["offer_b"].pk, 1)])
    pay(order_b)
    part_b = deliver(order_b.seller_orders.get(), days_ago=3)
    return part_a, part_b


def test_pays_delivered_orders_past_withdrawal_window_minus_commission_and_holdback(
    mall, delivered
):
    part_a, part_b = delivered
    owed_a = D("40.00") - D("4.50") + part_a.delivery_fee
    [payout] = payout_run(as_of=_today(), holdback_percent="10")
    assert payout.seller == mall["a"]
    holdback = (owed_a * D("0.10")).quantize(D("0.01"))
    assert payout.amount == owed_a - holdback
    kinds = {line.kind: line for line in payout.lines.all()}
    sale = kinds[StatementKind.SALE]
    assert (sale.seller_order, sale.commission, sale.amount) == (part_a, D("4.50"), owed_a)
    assert kinds[StatementKind.HOLDBACK].amount == -holdback
    # Ledger: the payout entry; the holdback stays owed to the seller
    assert seller_payable_balance(seller_id=mall["a"].pk) == holdback
    entry = JournalEntry.objects.get(idempotency_key=f"payout:{payout.pk}")
    assert entry.kind == EntryKind.PAYOUT
    # Seller B: delivered 3 days ago, still inside the 14 days: nothing
    assert not Payout.objects.filter(seller=mall["b"]).exists()
    _ledger_clean()


def test_running_twice_pays_nobody_twice(mall, delivered):
    first = payout_run(as_of=_today(), holdback_percent="0")
    again = payout_run(as_of=_today(), holdback_percent="0")
    assert [p.pk for p in first] == [p.pk for p in again]
    later = payout_run(as_of=_today() + dt.timedelta(days=1), holdback_percent="0")
    assert later == []  # the seller order was paid out already
    assert Payout.objects.count() == 1
    assert JournalEntry.objects.filter(kind=EntryKind.PAYOUT).count() == 1
    assert seller_payable_balance(seller_id=mall["a"].pk) == 0
    _ledger_clean()


def test_withdrawal_window_boundary(mall, delivered):
    part_a, part_b = delivered
    # B was delivered 3 days ago: payable from the run 11 days later (14 full days after)
    payout_run(as_of=_today(), holdback_percent="0")
    assert not Payout.objects.filter(seller=mall["b"]).exists()
    payout_run(as_of=_today() + dt.timedelta(days=10), holdback_percent="0")
    assert not Payout.objects.filter(seller=mall["b"]).exists()
    [payout] = payout_run(as_of=_today() + dt.timedelta(days=12), holdback_percent="0")
    assert payout.seller == mall["b"]
    _ledger_clean()


def test_holdback_is_released_by_the_next_payout(mall, delivered, place, pay, deliver):
    [first] = payout_run(as_of=_today(), holdback_percent="10")
    held = -first.lines.get(kind=StatementKind.HOLDBACK).amount
    order = place([(mall["offer_a"].pk, 1)])
    pay(order)
    part = deliver(order.seller_orders.get(), days_ago=15)
    [second] = payout_run(as_of=_today() + dt.timedelta(days=1), holdback_percent="10")
    owed = D("20.00") - D("2.50") + part.delivery_fee
    new_hold = (owed * D("0.10")).quantize(D("0.01"))
    assert second.amount == owed + held - new_hold
    release = second.lines.get(kind=StatementKind.RELEASE)
    assert release.amount == held and release.releases.payout == first
    assert seller_payable_balance(seller_id=mall["a"].pk) == new_hold
    _ledger_clean()


@pytest.mark.parametrize("status", [SellerStatus.SUSPENDED, SellerStatus.APPLIED])
def test_unverified_or_suspended_sellers_are_not_paid(mall, delivered, status):
    Seller.objects.filter(pk=mall["a"].pk).update(status=status)
    assert payout_run(as_of=_today() + dt.timedelta(days=30), holdback_percent="0") == [
        Payout.objects.get(seller=mall["b"])
    ]
    assert not Payout.objects.filter(seller=mall["a"]).exists()
    assert seller_payable_balance(seller_id=mall["a"].pk) > 0  # still owed, kept


def test_seller_without_iban_is_listed_not_paid(mall, delivered):
    Seller.objects.filter(pk=mall["a"].pk).update(iban="")
    assert payout_run(as_of=_today(), holdback_percent="0") == []
    assert "aucun IBAN" in PayoutRun.objects.get().notes


def test_refund_after_payout_is_taken_back_on_the_next_one(mall, delivered, place, pay, deliver):
    part_a, _part_b = delivered
    payout_run(as_of=_today(), holdback_percent="0")
    line = part_a.lines.get()
    order_refund(order=part_a.order, lines={line.pk: 1}, idempotency_key="after")
    # 20.00 refunded, commission given back 4.50 × 20/40 = 2.25: the seller owes 17.75
    assert seller_payable_balance(seller_id=mall["a"].pk) == D("-17.75")
    order = place([(mall["offer_a"].pk, 3)])
    pay(order)
    part = deliver(order.seller_orders.get(), days_ago=15)
    [payout] = payout_run(as_of=_today() + dt.timedelta(days=1), holdback_percent="0")
    adjustment = payout.lines.get(kind=StatementKind.ADJUSTMENT)
    assert adjustment.amount == D("-17.75") and adjustment.seller_order == part_a
    assert payout.amount == D("60.00") - D("6.50") + part.delivery_fee - D("17.75")
    assert seller_payable_balance(seller_id=mall["a"].pk) == 0
    _ledger_clean()


def test_bad_holdback_and_date_are_refused_with_nothing_written(mall, delivered):
    for bad in ("-1", "101", "abc"):
        with pytest.raises(DomainError) as exc:
            payout_run(as_of=_today(), holdback_percent=bad)
        assert exc.value.code == "invalid_holdback"
    with pytest.raises(DomainError):
        payout_run(as_of=timezone.now(), holdback_percent="0")
    assert not PayoutRun.objects.exists()


def test_sepa_file_validates_and_names_the_right_accounts_and_amounts(mall, delivered):
    payout_run(as_of=_today(), holdback_percent="0")
    payout_run(as_of=_today() + dt.timedelta(days=12), holdback_percent="0")
    run = PayoutRun.objects.get(as_of=_today())
    xml = payout_run_sepa_xml(run=run)  # sepaxml validates against the pain.001 XSD
    root = ET.fromstring(xml)  # noqa: S314 - our own file
    payout = run.payouts.get()
    assert root.find(".//p:DbtrAcct/p:Id/p:IBAN", NS).text == "FR7630006000011234567890189"
    [tx] = root.findall(".//p:CdtTrfTxInf", NS)
    assert tx.find("p:CdtrAcct/p:Id/p:IBAN", NS).text == "FR1420041010050500013M02606"
    assert D(tx.find("p:Amt/p:InstdAmt", NS).text) == payout.amount
    assert tx.find("p:PmtId/p:EndToEndId", NS).text == payout.reference
    assert root.find(".//p:GrpHdr/p:NbOfTxs", NS).text == "1"


def test_statement_csv_and_pdf(mall, delivered):
    [payout] = payout_run(as_of=_today(), holdback_percent="10")
    text = payout_statement_csv(payout=payout)
    rows = [row.split(",") for row in text.strip().splitlines()]
    assert rows[0][0] == "nature" and rows[1][0] == "sale" and rows[1][4] == "4.50"
    assert rows[-1][-1] == str(payout.amount)
    pdf = payout_statement_pdf(payout=payout)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_payout_run_command_writes_sepa_and_statements(mall, delivered, tmp_path, capsys):
    call_command(
        "payout_run",
        "--date",
        _today().isoformat(),
        "--holdback",
        "0",
        "--sepa",
        str(tmp_path / "sepa.xml"),
        "--statements",
        str(tmp_path / "releves"),
    )
    out = capsys.readouterr().out
    assert "1 versement(s)" in out
    assert b"CstmrCdtTrfInitn" in (tmp_path / "sepa.xml").read_bytes()
    assert len(list((tmp_path / "releves").glob("VER*.csv"))) == 1
    assert len(list((tmp_path / "releves").glob("VER*.pdf"))) == 1


def _french(amount: Decimal) -> str:
    """5402.68 → « 5 402,68 € » as the pages write it: narrow no-break spaces between thousands,
    a decimal comma, a no-break space before the euro sign."""
    units, cents = f"{amount:.2f}".split(".")
    return f"{int(units):,}".replace(",", "\u202f") + f",{cents}\xa0€"


def test_payout_run_prints_amounts_like_the_pages_and_writes_one_pdf_statement_per_payout(
    mall, place, pay, deliver, tmp_path, capsys
):
    for offer, quantity in ((mall["offer_a"], 60), (mall["offer_b"], 1)):
        order = place([(offer.pk, quantity)])
        pay(order)
        deliver(order.seller_orders.get(), days_ago=20)
    args = ["--date", _today().isoformat(), "--holdback", "0"]

    call_command("payout_run", *args, "--statements", str(tmp_path / "releves"))
    french = capsys.readouterr().out
    with translation.override("en"):
        call_command("payout_run", *args)  # the same date: the same payouts, nobody paid twice
    english = capsys.readouterr().out

    payouts = list(Payout.objects.order_by("pk"))
    assert len(payouts) == 2 and max(p.amount for p in payouts) > 1000
    total = sum(p.amount for p in payouts)
    assert f" : 2 versement(s), {_french(total)} au total." in french
    assert f": 2 payout(s), €{total:,.2f} in total." in english
    for payout in payouts:
        assert f"  {payout.reference} {payout.seller_name} {_french(payout.amount)}\n" in french
        assert f"  {payout.reference} {payout.seller_name} €{payout.amount:,.2f}\n" in english
        assert str(payout.amount) not in french
    statements = tmp_path / "releves"
    assert sorted(path.name for path in statements.iterdir()) == sorted(
        f"{payout.reference}.{kind}" for payout in payouts for kind in ("csv", "pdf")
    )
    for payout in payouts:
        pdf = (statements / f"{payout.reference}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert "Relevés (PDF et CSV) : " in french


def test_payout_run_reports_unwritable_files_without_a_traceback(mall, delivered, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")

    with pytest.raises(CommandError, match="Les versements sont enregistrés ; relancez avec"):
        call_command("payout_run", "--holdback", "0", "--statements", str(blocker / "releves"))
    assert Payout.objects.count() == 1


def test_unique_constraint_pays_a_seller_order_once(mall, delivered):
    from django.db import IntegrityError, transaction

    [payout] = payout_run(as_of=_today(), holdback_percent="0")
    sale = payout.lines.get(kind=StatementKind.SALE)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementLine.objects.create(
            payout=payout, kind="sale", seller_order=sale.seller_order, label="x", amount=1
        )


def test_task_runs_the_same_service(mall, delivered):
    from galerie.payouts.tasks import payout_run_task

    assert payout_run_task.call(as_of=timezone.localdate().isoformat(), holdback_percent="0") == 1
    assert payout_run_task.call(as_of=timezone.localdate().isoformat()) == 1  # same run
    assert Payout.objects.count() == 1

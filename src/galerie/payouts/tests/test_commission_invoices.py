"""A payout run invoices each paid seller the operator's commission: issuer the operator, buyer
the seller, the operator's own gap-free "C" series."""

from decimal import Decimal

import facturx
from django.utils import timezone

from galerie.invoicing.documents import invoice_cii_xml
from galerie.invoicing.models import Invoice, InvoiceKind
from galerie.payouts.models import PayoutRun
from galerie.payouts.services import payout_run
from galerie.sellers.models import Seller

D = Decimal


def _delivered(mall, place, pay, deliver, offer, quantity=1):
    order = place([(offer.pk, quantity)])
    pay(order)
    return deliver(order.seller_orders.get(), days_ago=20)


def test_payout_run_invoices_each_seller_its_commission(mall, place, pay, deliver):
    # Given two delivered sales of seller A (10 % + 0.50 €) and one of seller B (15 %)
    for quantity in (2, 1):
        _delivered(mall, place, pay, deliver, mall["offer_a"], quantity)
    _delivered(mall, place, pay, deliver, mall["offer_b"])
    # When the payout run pays them
    payouts = payout_run(as_of=timezone.localdate(), holdback_percent="0")
    # Then each seller gets one commission invoice from the operator, numbered C-…-1 and -2
    invoices = list(Invoice.objects.filter(kind=InvoiceKind.COMMISSION).order_by("sequence"))
    assert [inv.sequence for inv in invoices] == [1, 2]
    assert {inv.issuer for inv in invoices} == {mall["operator"]}
    assert {inv.buyer_seller for inv in invoices} == {mall["a"], mall["b"]}
    invoice_a = next(inv for inv in invoices if inv.buyer_seller == mall["a"])
    payout_a = next(p for p in payouts if p.seller == mall["a"])
    kept = sum(line.commission for line in payout_a.lines.all())
    assert invoice_a.total_ttc == kept == D("4.50") + D("2.50")
    assert invoice_a.number.startswith("C-") and invoice_a.lines.count() == 2
    rate = Decimal(invoice_a.vat_breakdown[0]["rate"])
    assert rate == D("20") and invoice_a.total_ht + invoice_a.total_vat == invoice_a.total_ttc
    assert invoice_a.reference == f"payout:{payout_a.pk}"
    assert facturx.xml_check_xsd(invoice_cii_xml(invoice=invoice_a), level="en16931")
    # Running again issues nothing more
    payout_run(as_of=timezone.localdate(), holdback_percent="0")
    assert Invoice.objects.filter(kind=InvoiceKind.COMMISSION).count() == 2


def test_without_an_operator_row_the_run_pays_and_says_the_invoice_is_missing(
    mall, place, pay, deliver
):
    _delivered(mall, place, pay, deliver, mall["offer_a"])
    Seller.objects.filter(pk=mall["operator"].pk).update(is_operator=False)
    [payout] = payout_run(as_of=timezone.localdate(), holdback_percent="0")
    assert payout.amount > 0
    assert "facture de commission non émise" in PayoutRun.objects.get().notes
    assert not Invoice.objects.filter(kind=InvoiceKind.COMMISSION).exists()

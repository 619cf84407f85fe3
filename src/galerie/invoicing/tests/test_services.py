"""Issuing invoices and credit notes: numbering, frozen content, mentions, VAT per rate."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from galerie.invoicing.models import ImmutableInvoiceError, Invoice, InvoiceKind, InvoiceLine
from galerie.invoicing.services import invoice_issue_for_order
from galerie.payments.refunds import order_refund
from galerie.sellers.models import LegalForm
from galerie.testing.factories import make_offer, make_seller, pay_by_transfer

pytestmark = pytest.mark.django_db


def _seller(**kw):
    kw.setdefault("address", "3 quai Voltaire\n75007 Paris")
    kw.setdefault("siren", "732829320")
    kw.setdefault("vat_number", "FR44732829320")
    kw.setdefault("legal_form", LegalForm.SARL)
    return make_seller(**kw)


def test_paid_order_gets_one_invoice_per_seller_each_in_its_issuers_series(place, book_offer):
    # Given an order from two sellers, then a second order from the first one
    alpha, beta = _seller(name="Alpha"), _seller(name="Beta")
    first = place([(make_offer(seller=alpha).pk, 1), (make_offer(seller=beta).pk, 2)])
    second = place([(make_offer(seller=alpha).pk, 1)])
    # When both are paid
    pay_by_transfer(first)
    pay_by_transfer(second)
    # Then each seller numbers its own invoices from 1, without a gap
    numbers = {
        (inv.issuer.name, inv.sequence)
        for inv in Invoice.objects.filter(kind=InvoiceKind.INVOICE).select_related("issuer")
    }
    assert numbers == {("Alpha", 1), ("Beta", 1), ("Alpha", 2)}
    invoice = Invoice.objects.get(seller_order__order=second)
    assert invoice.number == f"F-{invoice.year}-000002"
    assert invoice.seller_order.seller == alpha


def test_issuing_again_gives_the_same_invoices_and_takes_no_number(place):
    order = pay_by_transfer(place([(make_offer(seller=_seller()).pk, 1)]))
    first = Invoice.objects.get(seller_order__order=order)
    again = invoice_issue_for_order(order=order)
    assert [inv.pk for inv in again] == [first.pk]
    assert Invoice.objects.count() == 1


def test_numbers_run_one_to_n_over_many_orders(place):
    seller = _seller()
    offer = make_offer(seller=seller, stock=20)
    for _ in range(12):
        pay_by_transfer(place([(offer.pk, 1)]))
    sequences = sorted(Invoice.objects.filter(issuer=seller).values_list("sequence", flat=True))
    assert sequences == list(range(1, 13))


def test_issued_invoice_and_its_lines_refuse_any_change(place):
    order = pay_by_transfer(place([(make_offer(seller=_seller()).pk, 1)]))
    invoice = Invoice.objects.get(seller_order__order=order)
    invoice.total_ttc = Decimal("0.01")
    with pytest.raises(ImmutableInvoiceError):
        invoice.save()
    with pytest.raises(ImmutableInvoiceError):
        invoice.delete()
    line = invoice.lines.first()
    line.designation = "autre chose"
    with pytest.raises(ImmutableInvoiceError):
        line.save()
    invoice.refresh_from_db()
    assert invoice.total_ttc == order.total
    assert InvoiceLine.objects.get(pk=line.pk).designation != "autre chose"


def test_a_number_cannot_be_given_twice_by_the_database(place):
    order = pay_by_transfer(place([(make_offer(seller=_seller()).pk, 1)]))
    invoice = Invoice.objects.get(seller_order__order=order)
    invoice.pk = None
    with pytest.raises(IntegrityError):
        invoice.save()


def test_invoice_carries_every_mandatory_mention(place, address):
    seller = _seller(name="Librairie Alpha", legal_name="Alpha Livres SARL")
    order = pay_by_transfer(place([(make_offer(seller=seller, price="12.00").pk, 2)]))
    invoice = Invoice.objects.get(seller_order__order=order)
    assert invoice.issuer_name == "Alpha Livres SARL"
    assert invoice.issuer_address == "3 quai Voltaire\n75007 Paris"
    assert (invoice.issuer_siren, invoice.issuer_vat_number) == ("732829320", "FR44732829320")
    assert invoice.issuer_legal_form == "SARL / EURL"
    assert invoice.buyer_name == address["name"]
    assert invoice.buyer_address == "12 rue des Lilas\n75011 PARIS\nFR"
    assert invoice.order_number == order.number
    [line] = invoice.lines.filter(is_delivery=False)
    assert (line.quantity, line.vat_rate) == (2, Decimal("20.00"))
    assert line.unit_price_ht == Decimal("10.00")
    assert line.total_ttc == Decimal("24.00")
    assert invoice.vat_mentions == []


def test_vat_per_rate_adds_up_to_the_cent_and_to_the_order(place, book_offer):
    # Given a book (5.5 %) and a 20 % article sold by one seller, with delivery
    seller = _seller()
    order = pay_by_transfer(
        place(
            [
                (book_offer(price="19.00", seller=seller, delivery_price="3.99").pk, 3),
                (make_offer(seller=seller, price="7.33", delivery_price="2.49").pk, 1),
            ]
        )
    )
    invoice = Invoice.objects.get(seller_order__order=order)
    rows = {Decimal(row["rate"]): row for row in invoice.vat_breakdown}
    assert set(rows) == {Decimal("5.50"), Decimal("20.00")}
    for row in rows.values():
        assert Decimal(row["ht"]) + Decimal(row["vat"]) == Decimal(row["ttc"])
    assert sum(Decimal(r["ttc"]) for r in rows.values()) == invoice.total_ttc
    assert sum(Decimal(r["vat"]) for r in rows.values()) == invoice.total_vat
    assert invoice.total_ttc == invoice.seller_order.total
    lines = list(invoice.lines.all())
    assert sum(line.total_ttc for line in lines) == invoice.total_ttc
    assert invoice.delivery_ttc == invoice.seller_order.delivery_fee > 0
    assert any(line.is_delivery for line in lines)


def test_private_sellers_invoice_states_why_there_is_no_vat(place):
    seller = _seller(is_trader=False, legal_form=LegalForm.INDIVIDUAL, vat_number="", siren="")
    order = pay_by_transfer(place([(make_offer(seller=seller, price="15.00").pk, 1)]))
    invoice = Invoice.objects.get(seller_order__order=order)
    assert invoice.total_vat == 0
    assert len(invoice.vat_mentions) == 1 and "TVA non applicable" in invoice.vat_mentions[0]
    assert all(row["exemption"] == "private_sale" for row in invoice.vat_breakdown)


def test_full_refund_issues_a_credit_note_mirroring_the_invoice_per_rate(place, book_offer):
    seller = _seller()
    order = pay_by_transfer(
        place(
            [
                (book_offer(price="19.00", seller=seller).pk, 1),
                (make_offer(seller=seller, price="9.99").pk, 2),
            ]
        )
    )
    invoice = Invoice.objects.get(seller_order__order=order, kind=InvoiceKind.INVOICE)
    order_refund(order=order, idempotency_key="all", reason="Colis perdu")
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert note.credited_invoice == invoice and note.issuer == invoice.issuer
    assert note.number == f"A-{note.year}-000001"
    assert (note.total_ttc, note.total_vat) == (-invoice.total_ttc, -invoice.total_vat)
    credited = {row["rate"]: (row["ht"], row["vat"]) for row in note.vat_breakdown}
    expected = {
        row["rate"]: (str(-Decimal(row["ht"])), str(-Decimal(row["vat"])))
        for row in invoice.vat_breakdown
    }
    assert credited == expected
    assert note.reason == "Colis perdu"
    # The same refund replayed issues nothing more
    order_refund(order=order, idempotency_key="all", reason="Colis perdu")
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1


def test_refund_of_one_unit_credits_that_unit_only(place):
    seller = _seller()
    order = pay_by_transfer(place([(make_offer(seller=seller, price="12.00").pk, 3)]))
    line = order.lines.get()
    order_refund(order=order, idempotency_key="one", lines={line.pk: 1})
    order_refund(order=order, idempotency_key="two", lines={line.pk: 2})
    notes = list(Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).order_by("pk"))
    assert [n.sequence for n in notes] == [1, 2]
    assert [n.total_ttc for n in notes] == [Decimal("-12.00"), Decimal("-24.00")]
    [credit] = notes[0].lines.all()
    assert credit.quantity == -1 and credit.vat_amount == Decimal("-2.00")
    invoice = Invoice.objects.get(kind=InvoiceKind.INVOICE)
    goods = invoice.lines.get(is_delivery=False)
    assert sum(n.total_vat for n in notes) == -goods.vat_amount

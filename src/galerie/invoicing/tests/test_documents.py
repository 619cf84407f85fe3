"""The files: Factur-X XML valid against the EN 16931 XSD, embedded in the PDF/A-3."""

import facturx
import pytest
from django.utils import timezone
from lxml import etree

from galerie.invoicing.documents import invoice_cii_xml, invoice_html, invoice_pdf
from galerie.invoicing.models import Invoice, InvoiceKind
from galerie.payments.refunds import order_refund
from galerie.sellers.models import LegalForm
from galerie.testing.factories import make_offer, make_seller, pay_by_transfer

pytestmark = pytest.mark.django_db

RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"


def _paid(place, book_offer, **seller):
    seller.setdefault("address", "3 quai Voltaire\n75007 Paris")
    seller.setdefault("siren", "732829320")
    seller.setdefault("vat_number", "FR44732829320")
    seller.setdefault("legal_form", LegalForm.SAS)
    seller = make_seller(**seller)
    order = place(
        [
            (book_offer(price="19.00", seller=seller, delivery_price="3.50").pk, 2),
            (make_offer(seller=seller, price="7.33").pk, 1),
        ],
        buyer_company="Bibliothèque Nord SAS",
        buyer_siren="552100554",
        buyer_vat_number="FR96552100554",
    )
    return pay_by_transfer(order)


def test_xml_is_valid_en16931_and_states_the_frozen_figures(place, book_offer):
    order = _paid(place, book_offer)
    invoice = Invoice.objects.get(seller_order__order=order)
    xml = invoice_cii_xml(invoice=invoice)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    tree = etree.fromstring(xml)
    assert tree.findtext(f".//{RAM}TypeCode") == "380"
    assert tree.findtext(f".//{RAM}GrandTotalAmount") == str(invoice.total_ttc)
    assert tree.findtext(f".//{RAM}TaxTotalAmount") == str(invoice.total_vat)
    rates = {e.text for e in tree.iter(f"{RAM}RateApplicablePercent")}
    assert rates == {"5.50", "20.00"}
    buyer = tree.find(f".//{RAM}BuyerTradeParty")
    assert buyer.findtext(f"{RAM}Name") == "Bibliothèque Nord SAS"
    assert buyer.findtext(f".//{RAM}SpecifiedTaxRegistration/{RAM}ID") == "FR96552100554"


def test_credit_note_xml_is_valid_and_references_the_invoice(place, book_offer):
    order = _paid(place, book_offer)
    order_refund(order=order, idempotency_key="all")
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    xml = invoice_cii_xml(invoice=note)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    tree = etree.fromstring(xml)
    assert tree.findtext(f".//{RAM}TypeCode") == "381"
    referenced = tree.find(f".//{RAM}InvoiceReferencedDocument")
    assert referenced.findtext(f"{RAM}IssuerAssignedID") == note.credited_invoice.number


def test_private_sale_xml_is_valid_with_its_exemption_reason(place, book_offer):
    order = _paid(place, book_offer, is_trader=False, vat_number="", siren="")
    invoice = Invoice.objects.get(seller_order__order=order)
    xml = invoice_cii_xml(invoice=invoice)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert "TVA non applicable" in etree.fromstring(xml).findtext(f".//{RAM}ExemptionReason")


def test_document_shows_every_mandatory_mention(place, book_offer):
    order = _paid(place, book_offer)
    invoice = Invoice.objects.get(seller_order__order=order)
    html = invoice_html(invoice=invoice)
    for text in [
        invoice.number,
        timezone.localtime(invoice.issued_at).strftime("%d/%m/%Y"),  # Paris date, as shown
        invoice.issuer_name,
        "3 quai Voltaire",
        "732829320",
        "FR44732829320",
        "SAS / SASU",
        "Camille Martin",
        "12 rue des Lilas",
        "Bibliothèque Nord SAS",
        "552100554",
        "FR96552100554",
        "5,5 %",
        "20 %",
        "Livraison",
        "Total HT",
        "Total TTC",
    ]:
        assert text in html, text


def test_pdf_embeds_the_factur_x_xml(place, book_offer):
    # One rendering only: WeasyPrint is slow.
    order = _paid(place, book_offer)
    invoice = Invoice.objects.get(seller_order__order=order)
    pdf = invoice_pdf(invoice=invoice)
    assert pdf.startswith(b"%PDF")
    filename, xml = facturx.get_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    assert xml == invoice_cii_xml(invoice=invoice)

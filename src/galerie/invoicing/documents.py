"""An invoice's files: the PDF (WeasyPrint, PDF/A-3) with its Factur-X XML (EN 16931 profile,
UN/CEFACT CII D16B) embedded, and the XML alone. Both are built from the frozen document, so
downloading them again gives the same content."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from lxml import etree

from galerie.invoicing.models import Invoice, InvoiceKind

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
EN16931 = "urn:cen.eu:en16931:2017"
# UNTDID 1001: commercial invoice, credit note.
TYPE_CODES = {
    InvoiceKind.INVOICE: "380",
    InvoiceKind.COMMISSION: "380",
    InvoiceKind.CREDIT_NOTE: "381",
}


def _el(parent, tag: str, text=None, **attrib):
    prefix, name = tag.split(":")
    node = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{name}", **attrib)
    if text is not None:
        node.text = str(text)
    return node


def _amount(value: Decimal) -> str:
    # A credit note (type 381) states what it gives back as positive amounts (EN 16931).
    return f"{abs(value):.2f}"


def _category(*, rate: Decimal, exemption: str) -> str:
    """UNCL 5305: E exempt (with its reason), Z zero rate, S standard."""
    if exemption:
        return "E"
    return "S" if rate else "Z"


def _party(parent, tag, *, name, address, country, siren, vat_number):
    party = _el(parent, tag)
    _el(party, "ram:Name", name or "-")
    if siren:
        organisation = _el(party, "ram:SpecifiedLegalOrganization")
        _el(organisation, "ram:ID", siren[:9], schemeID="0002")  # 0002: SIRENE
    postal = _el(party, "ram:PostalTradeAddress")
    lines = [line for line in (address or "").splitlines() if line.strip()]
    if lines and lines[-1].strip().isalpha() and len(lines[-1].strip()) == 2:
        lines = lines[:-1]
    for tag_name, line in zip(("ram:LineOne", "ram:LineTwo", "ram:LineThree"), lines, strict=False):
        _el(postal, tag_name, line)
    _el(postal, "ram:CountryID", (country or "FR").upper())
    if vat_number:
        registration = _el(party, "ram:SpecifiedTaxRegistration")
        _el(registration, "ram:ID", vat_number, schemeID="VA")
    return party


def invoice_cii_xml(*, invoice: Invoice) -> bytes:
    """The document as Factur-X EN 16931 XML (CII). Amounts are the frozen ones."""
    lines = list(invoice.lines.all())
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", EN16931)
    document = _el(root, "rsm:ExchangedDocument")
    _el(document, "ram:ID", invoice.number)
    _el(document, "ram:TypeCode", TYPE_CODES[InvoiceKind(invoice.kind)])
    issued = _el(document, "ram:IssueDateTime")
    _el(issued, "udt:DateTimeString", invoice.issued_at.strftime("%Y%m%d"), format="102")
    for mention in invoice.vat_mentions:
        _el(_el(document, "ram:IncludedNote"), "ram:Content", mention)
    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    for line in lines:
        item = _el(transaction, "ram:IncludedSupplyChainTradeLineItem")
        _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line.position)
        _el(_el(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.designation)
        agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
        price = _el(agreement, "ram:NetPriceProductTradePrice")
        _el(price, "ram:ChargeAmount", _amount(line.unit_price_ht))
        delivery = _el(item, "ram:SpecifiedLineTradeDelivery")
        _el(delivery, "ram:BilledQuantity", abs(line.quantity), unitCode="C62")
        settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:CategoryCode", _category(rate=line.vat_rate, exemption=line.vat_exemption))
        _el(tax, "ram:RateApplicablePercent", "0" if line.vat_exemption else line.vat_rate)
        summation = _el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        _el(summation, "ram:LineTotalAmount", _amount(line.total_ht))
    agreement = _el(transaction, "ram:ApplicableHeaderTradeAgreement")
    _party(
        agreement,
        "ram:SellerTradeParty",
        name=invoice.issuer_name,
        address=invoice.issuer_address,
        country="FR",
        siren=invoice.issuer_siren,
        vat_number=invoice.issuer_vat_number,
    )
    _party(
        agreement,
        "ram:BuyerTradeParty",
        name=invoice.buyer_company or invoice.buyer_name,
        address=invoice.buyer_address,
        country=invoice.buyer_country,
        siren=invoice.buyer_siren,
        vat_number=invoice.buyer_vat_number,
    )
    if invoice.order_number:
        order_ref = _el(agreement, "ram:BuyerOrderReferencedDocument")
        _el(order_ref, "ram:IssuerAssignedID", invoice.order_number)
    _el(transaction, "ram:ApplicableHeaderTradeDelivery")
    settlement = _el(transaction, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:InvoiceCurrencyCode", "EUR")
    mentions = " ".join(invoice.vat_mentions)
    for row in invoice.vat_breakdown:
        rate = Decimal(row["rate"])
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:CalculatedAmount", _amount(Decimal(row["vat"])))
        _el(tax, "ram:TypeCode", "VAT")
        if row["exemption"]:
            _el(tax, "ram:ExemptionReason", mentions or row["exemption"])
        _el(tax, "ram:BasisAmount", _amount(Decimal(row["ht"])))
        _el(tax, "ram:CategoryCode", _category(rate=rate, exemption=row["exemption"]))
        _el(tax, "ram:RateApplicablePercent", "0" if row["exemption"] else rate)
    totals = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(totals, "ram:LineTotalAmount", _amount(invoice.total_ht))
    _el(totals, "ram:TaxBasisTotalAmount", _amount(invoice.total_ht))
    _el(totals, "ram:TaxTotalAmount", _amount(invoice.total_vat), currencyID="EUR")
    _el(totals, "ram:GrandTotalAmount", _amount(invoice.total_ttc))
    paid = invoice.kind != InvoiceKind.COMMISSION  # sales are paid at issue, credits refunded
    _el(totals, "ram:TotalPrepaidAmount", _amount(invoice.total_ttc if paid else Decimal(0)))
    _el(totals, "ram:DuePayableAmount", _amount(Decimal(0) if paid else invoice.total_ttc))
    if invoice.credited_invoice_id:
        credited = invoice.credited_invoice
        reference = _el(settlement, "ram:InvoiceReferencedDocument")
        _el(reference, "ram:IssuerAssignedID", credited.number)
        date = _el(reference, "ram:FormattedIssueDateTime")
        _el(date, "qdt:DateTimeString", credited.issued_at.strftime("%Y%m%d"), format="102")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def invoice_context(*, invoice: Invoice) -> dict:
    """What the document shows (the page and the PDF): the frozen invoice, its lines and its
    VAT per rate, nothing computed in the template."""
    return {
        "invoice": invoice,
        "lines": list(invoice.lines.all()),
        "vat_rows": [
            {
                "rate": Decimal(row["rate"]),
                "ht": Decimal(row["ht"]),
                "vat": Decimal(row["vat"]),
                "ttc": Decimal(row["ttc"]),
                "exempt": bool(row["exemption"]),
            }
            for row in invoice.vat_breakdown
        ],
    }


def invoice_html(*, invoice: Invoice) -> str:
    return render_to_string("invoicing/document.html", invoice_context(invoice=invoice))


def invoice_pdf(*, invoice: Invoice) -> bytes:
    """The PDF/A-3 with the Factur-X XML embedded (factur-x checks it against the XSD first).
    Needs Pango (Debian package libpango-1.0-0), as the payout statements do."""
    import facturx
    from weasyprint import HTML

    pdf = HTML(string=invoice_html(invoice=invoice)).write_pdf(pdf_variant="pdf/a-3b")
    return facturx.generate_from_binary(
        pdf,
        invoice_cii_xml(invoice=invoice),
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        lang="fr",
    )


def invoice_file(*, invoice: Invoice, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the document as "pdf" or "xml"."""
    if fmt == "pdf":
        return invoice_pdf(invoice=invoice), "application/pdf", f"{invoice.filename_stem}.pdf"
    return invoice_cii_xml(invoice=invoice), "application/xml", f"{invoice.filename_stem}.xml"

"""Issuing invoices, credit notes and commission invoices: every write of invoicing.

A document is numbered and frozen in one transaction: its number is taken on the issuer's locked
counter (locks.py), so numbers of one series follow each other without a gap or a repeat, and a
rolled-back issue gives its number back with everything else. Nothing here updates a document:
a correction is a credit note (CGI art. 289-I-1 and 242 nonies A; BOI-TVA-DECLA-30-20-20).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.core.money import to_money
from galerie.invoicing.errors import NoOperator
from galerie.invoicing.locks import invoice_counter_lock
from galerie.invoicing.models import SERIES, Invoice, InvoiceKind, InvoiceLine
from galerie.ledger.postings import commission_vat_rate
from galerie.orders.models import Order, SellerOrder
from galerie.pricing.services import vat_amount, vat_breakdown, vat_exemption_label
from galerie.sellers.models import LegalForm, Seller

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineDraft:
    """An invoice line before it is numbered: TTC and VAT as the customer is shown them."""

    designation: str
    quantity: int
    vat_rate: Decimal
    total_ttc: Decimal
    vat: Decimal
    vat_exemption: str = ""
    is_delivery: bool = False
    order_line_id: int | None = None
    credited_line_id: int | None = None


def invoice_number_format(*, series: str, year: int, sequence: int) -> str:
    return f"{series}-{year}-{sequence:06d}"


def _number_take(*, issuer_id: int, series: str, year: int) -> int:
    """The next number of the series. Call inside the issuing transaction."""
    counter = invoice_counter_lock(issuer_id=issuer_id, series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _issuer_fields(seller: Seller) -> dict:
    legal_form = str(LegalForm(seller.legal_form).label) if seller.legal_form else ""
    return {
        "issuer": seller,
        "issuer_name": seller.legal_name or seller.name,
        "issuer_address": seller.address,
        "issuer_siren": seller.siren,
        "issuer_vat_number": seller.vat_number,
        "issuer_legal_form": legal_form,
    }


def _address_text(address: dict | None) -> str:
    address = address or {}
    parts = [address.get("line1", ""), address.get("line2", "")]
    parts.append(f"{address.get('postcode', '')} {address.get('city', '')}".strip())
    parts.append(address.get("country", ""))
    return "\n".join(part for part in parts if part)


def vat_mentions(exemptions: Iterable[str]) -> list[str]:
    """Why VAT is not charged, once per reason met on the document (art. 242 nonies A: « TVA
    non applicable » with its ground; the travel margin scheme's own words), as pricing names
    them on every other page."""
    return [vat_exemption_label(code) for code in sorted(set(exemptions)) if code]


def _issue(*, kind: str, issuer: Seller, drafts: list[LineDraft], **fields) -> Invoice:
    """Number the document in the issuer's series and freeze it with its lines."""
    now = clock.now()
    year = timezone.localtime(now).year
    series = SERIES[InvoiceKind(kind)]
    sequence = _number_take(issuer_id=issuer.pk, series=series, year=year)
    rows = vat_breakdown(
        (draft.vat_rate, draft.total_ttc, draft.vat, draft.vat_exemption) for draft in drafts
    )
    total_ttc = sum((draft.total_ttc for draft in drafts), ZERO)
    total_vat = sum((row.vat for row in rows), ZERO)
    invoice = Invoice(
        kind=kind,
        series=series,
        year=year,
        sequence=sequence,
        number=invoice_number_format(series=series, year=year, sequence=sequence),
        issued_at=now,
        total_ttc=total_ttc,
        total_vat=total_vat,
        total_ht=total_ttc - total_vat,
        delivery_ttc=sum((d.total_ttc for d in drafts if d.is_delivery), ZERO),
        vat_breakdown=[
            {
                "rate": str(row.rate),
                "ht": str(row.ht),
                "vat": str(row.vat),
                "ttc": str(row.ttc),
                "exemption": row.exemption,
            }
            for row in rows
        ],
        vat_mentions=vat_mentions(d.vat_exemption for d in drafts if d.vat_exemption),
        **_issuer_fields(issuer),
        **fields,
    )
    invoice.save()
    InvoiceLine.objects.bulk_create(
        [_line(invoice=invoice, position=n, draft=draft) for n, draft in enumerate(drafts, 1)]
    )
    return invoice


def _line(*, invoice: Invoice, position: int, draft: LineDraft) -> InvoiceLine:
    vat = ZERO if draft.vat_exemption else draft.vat
    total_ht = draft.total_ttc - vat
    unit_ht = to_money(total_ht / draft.quantity) if draft.quantity else total_ht
    return InvoiceLine(
        invoice=invoice,
        position=position,
        order_line_id=draft.order_line_id,
        credited_line_id=draft.credited_line_id,
        is_delivery=draft.is_delivery,
        designation=draft.designation[:300],
        quantity=draft.quantity,
        unit_price_ht=abs(unit_ht),
        vat_rate=draft.vat_rate,
        vat_exemption=draft.vat_exemption,
        total_ht=total_ht,
        vat_amount=vat,
        total_ttc=draft.total_ttc,
    )


# --- Sales invoices ------------------------------------------------------------------------------


def _sale_drafts(seller_order: SellerOrder) -> list[LineDraft]:
    drafts = [
        LineDraft(
            designation=f"{line.title} ({line.gtin})" if line.gtin else line.title,
            quantity=line.quantity,
            vat_rate=line.vat_rate,
            total_ttc=line.line_total,
            vat=line.vat_invoiced,
            vat_exemption=line.vat_exemption,
            order_line_id=line.pk,
        )
        for line in seller_order.lines.order_by("pk")
    ]
    label = _("Livraison — %(label)s") % {"label": seller_order.delivery_label}
    parts = seller_order.delivery_vat or []
    if not parts and seller_order.delivery_fee:
        parts = [{"rate": "0", "ttc": str(seller_order.delivery_fee), "vat": "0"}]
    for part in parts:
        if Decimal(part["ttc"]) == 0:
            continue
        drafts.append(
            LineDraft(
                designation=label,
                quantity=1,
                vat_rate=Decimal(part["rate"]),
                total_ttc=Decimal(part["ttc"]),
                vat=Decimal(part["vat"]),
                vat_exemption=part.get("exemption", ""),
                is_delivery=True,
            )
        )
    return drafts


def _buyer_fields(order: Order) -> dict:
    address = order.billing_address or {}
    return {
        "buyer_name": address.get("name", "") or order.email,
        "buyer_address": _address_text(address),
        "buyer_country": str(address.get("country", ""))[:2],
        "buyer_company": order.buyer_company,
        "buyer_siren": order.buyer_siren,
        "buyer_vat_number": order.buyer_vat_number,
    }


@transaction.atomic
def invoice_issue_for_order(*, order: Order) -> list[Invoice]:
    """Issue, when `order` is paid, one invoice per seller's part, by that seller (the operator
    for its own sales). Idempotent: a part already invoiced keeps its invoice. Call in the
    transaction that marks the order paid, so an order is never paid without its invoices."""
    invoices = []
    parts = order.seller_orders.select_related("seller").order_by("pk")
    for seller_order in parts:
        existing = Invoice.objects.filter(
            seller_order=seller_order, kind=InvoiceKind.INVOICE
        ).first()
        if existing is not None:
            invoices.append(existing)
            continue
        invoices.append(
            _issue(
                kind=InvoiceKind.INVOICE,
                issuer=seller_order.seller,
                drafts=_sale_drafts(seller_order),
                seller_order=seller_order,
                order_number=order.number,
                **_buyer_fields(order),
            )
        )
    return invoices


# --- Credit notes --------------------------------------------------------------------------------


def _credited_before(line: InvoiceLine) -> Decimal:
    """What credit notes already gave back of an invoice line (TTC, a negative sum)."""
    return line.credits.aggregate(total=Sum("total_ttc"))["total"] or ZERO


def _credit_draft(*, line: InvoiceLine, ttc: Decimal, quantity: int, note: str) -> LineDraft:
    """Give back `ttc` of an invoice line. Its VAT is the line's VAT pro rata of the TTC given
    back so far, cumulatively, so credits of one line add up to exactly its VAT."""
    before = -_credited_before(line)
    ttc = min(ttc, line.total_ttc - before)

    def vat_share(amount: Decimal) -> Decimal:
        return to_money(line.vat_amount * amount / line.total_ttc) if line.total_ttc else ZERO

    vat = vat_share(before + ttc) - vat_share(before)
    designation = f"{line.designation} — {note}" if note else line.designation
    return LineDraft(
        designation=designation,
        quantity=-quantity,
        vat_rate=line.vat_rate,
        total_ttc=-ttc,
        vat=-vat,
        vat_exemption=line.vat_exemption,
        is_delivery=line.is_delivery,
        order_line_id=line.order_line_id,
        credited_line_id=line.pk,
    )


@transaction.atomic
def credit_notes_issue_for_refund(
    *,
    order: Order,
    reference: str,
    quantities: dict[int, int] | None = None,
    amounts: dict[int, Decimal] | None = None,
    delivery_for: Iterable[int] = (),
    reason: str = "",
) -> list[Invoice]:
    """A refund of `order` corrects its invoices: one credit note per invoiced seller's part
    touched, referencing that invoice, with negative amounts per VAT rate. `quantities` and
    `amounts` None: everything not yet credited (a full refund); else {order line id: units},
    {order line id: money} and the parts whose delivery fee is refunded (as order_refund takes
    them). Parts paid before invoicing existed have no invoice and get no credit note.
    Idempotent by `reference` (the refund)."""
    done = Invoice.objects.filter(
        kind=InvoiceKind.CREDIT_NOTE, reference__startswith=reference + "#"
    ).order_by("pk")
    if done.exists():
        return list(done)
    full = quantities is None and amounts is None
    quantities, amounts = quantities or {}, amounts or {}
    delivery_for = {int(pk) for pk in delivery_for}
    invoices = (
        Invoice.objects.filter(seller_order__order=order, kind=InvoiceKind.INVOICE)
        .select_related("issuer", "seller_order")
        .prefetch_related("lines")
        .order_by("pk")
    )
    notes = []
    for invoice in invoices:
        drafts = []
        for line in invoice.lines.all():
            left = line.total_ttc + _credited_before(line)
            if left <= 0:
                continue
            if full or (line.is_delivery and invoice.seller_order_id in delivery_for):
                quantity = line.quantity if left == line.total_ttc else 1
                drafts.append(_credit_draft(line=line, ttc=left, quantity=quantity, note=""))
            elif line.order_line_id in quantities:
                units = int(quantities[line.order_line_id])
                unit_ttc = to_money(line.total_ttc / line.quantity)
                drafts.append(
                    _credit_draft(line=line, ttc=unit_ttc * units, quantity=units, note="")
                )
            elif line.order_line_id in amounts:
                drafts.append(
                    _credit_draft(
                        line=line,
                        ttc=Decimal(amounts[line.order_line_id]),
                        quantity=1,
                        note=_("remboursement partiel"),
                    )
                )
        drafts = [draft for draft in drafts if draft.total_ttc]
        if not drafts:
            continue
        notes.append(
            _issue(
                kind=InvoiceKind.CREDIT_NOTE,
                issuer=invoice.issuer,
                drafts=drafts,
                seller_order=invoice.seller_order,
                credited_invoice=invoice,
                reference=f"{reference}#{invoice.pk}",
                order_number=invoice.order_number,
                reason=reason[:200],
                buyer_name=invoice.buyer_name,
                buyer_address=invoice.buyer_address,
                buyer_country=invoice.buyer_country,
                buyer_company=invoice.buyer_company,
                buyer_siren=invoice.buyer_siren,
                buyer_vat_number=invoice.buyer_vat_number,
            )
        )
    return notes


# --- The operator's commission, invoiced to its sellers ------------------------------------------


def operator_seller() -> Seller:
    operator = Seller.objects.filter(is_operator=True).first()
    if operator is None:
        raise NoOperator(_("L'exploitant n'a pas de fiche vendeur : il ne peut pas facturer."))
    return operator


@transaction.atomic
def commission_invoice_issue(
    *, seller: Seller, reference: str, lines: list[tuple[str, Decimal]]
) -> Invoice | None:
    """The operator invoices `seller` the commission it kept, one line per (label, commission
    incl. VAT) at the commission's VAT rate, in its "C" series. None when there is nothing to
    invoice; idempotent by `reference` (a payout)."""
    existing = Invoice.objects.filter(kind=InvoiceKind.COMMISSION, reference=reference).first()
    if existing is not None:
        return existing
    rate = commission_vat_rate()
    drafts = [
        LineDraft(
            designation=label,
            quantity=1,
            vat_rate=rate,
            total_ttc=ttc,
            vat=vat_amount(ttc=ttc, rate=rate),
        )
        for label, ttc in lines
        if ttc
    ]
    if not drafts:
        return None
    return _issue(
        kind=InvoiceKind.COMMISSION,
        issuer=operator_seller(),
        drafts=drafts,
        buyer_seller=seller,
        reference=reference,
        buyer_name=seller.legal_name or seller.name,
        buyer_address=seller.address,
        buyer_company=seller.legal_name,
        buyer_siren=seller.siren,
        buyer_vat_number=seller.vat_number,
    )

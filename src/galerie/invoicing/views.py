"""The customer's invoices: the page behind the order's « Facture » link and the downloads.

Only the visitor's own orders (orders.selectors.order_for_request): any other id answers 404.
A seller's part paid before invoices were issued (or taken in from another installation) keeps
the page it always had, numbered as it was."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from galerie.invoicing.documents import invoice_context, invoice_file
from galerie.invoicing.models import InvoiceKind
from galerie.invoicing.selectors import invoices_of_order
from galerie.orders.selectors import order_for_request, order_vat_breakdown


def _order_or_404(request, public_id):
    order = order_for_request(request, public_id)
    if order is None or order.paid_at is None:
        raise Http404
    return order


def order_invoice(request, public_id, seller_order_id):
    """One seller's invoice for its part of the order (each seller invoices what it sells)."""
    order = _order_or_404(request, public_id)
    seller_order = order.seller_orders.select_related("seller").filter(pk=seller_order_id).first()
    if seller_order is None:
        raise Http404
    documents = list(invoices_of_order(order=order).filter(seller_order=seller_order))
    invoice = next((d for d in documents if d.kind == InvoiceKind.INVOICE), None)
    if invoice is None:
        context = {
            "order": order,
            "seller_order": seller_order,
            "seller": seller_order.seller,
            "lines": seller_order.lines.all(),
            "vat_rows": order_vat_breakdown(order, seller_order=seller_order),
            "invoice_number": seller_order.invoice_number,
        }
        return render(request, "orders/invoice.html", context)
    context = {
        **invoice_context(invoice=invoice),
        "order": order,
        "credit_notes": [d for d in documents if d.kind == InvoiceKind.CREDIT_NOTE],
        "pdf_url": reverse("invoicing:customer_pdf", args=[order.public_id, invoice.pk]),
        "xml_url": reverse("invoicing:customer_xml", args=[order.public_id, invoice.pk]),
    }
    return render(request, "invoicing/page.html", context)


def invoice_download(invoice, *, fmt: str) -> HttpResponse:
    body, content_type, filename = invoice_file(invoice=invoice, fmt=fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _customer_download(request, public_id, invoice_id, fmt):
    order = _order_or_404(request, public_id)
    invoice = invoices_of_order(order=order).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404
    return invoice_download(invoice, fmt=fmt)


def customer_invoice_pdf(request, public_id, invoice_id):
    return _customer_download(request, public_id, invoice_id, "pdf")


def customer_invoice_xml(request, public_id, invoice_id):
    return _customer_download(request, public_id, invoice_id, "xml")

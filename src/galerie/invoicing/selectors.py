"""Reads of invoicing that several callers share: whose documents a customer or seller sees."""

from django.db.models import Q, QuerySet

from galerie.invoicing.models import Invoice, InvoiceKind
from galerie.orders.models import Order

CUSTOMER_KINDS = [InvoiceKind.INVOICE, InvoiceKind.CREDIT_NOTE]


def invoices_of_order(*, order: Order) -> QuerySet[Invoice]:
    """A customer's invoices and credit notes for one order (never a commission invoice)."""
    return Invoice.objects.filter(seller_order__order=order, kind__in=CUSTOMER_KINDS).order_by("pk")


def invoices_of_seller(*, seller) -> QuerySet[Invoice]:
    """What a seller may download: the documents it issued and the commission invoices the
    operator issued to it."""
    return (
        Invoice.objects.filter(
            Q(issuer=seller) | Q(buyer_seller=seller, kind=InvoiceKind.COMMISSION)
        )
        .select_related("credited_invoice")
        .order_by("-issued_at", "-pk")
    )

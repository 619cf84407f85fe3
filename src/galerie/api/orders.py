"""Orders API: the visitor's orders and one order's status and detail.

Visibility is the pages' rule (galerie.orders.selectors.orders_for_request): a logged-in customer
sees their orders, a guest those remembered in their session; any other id answers 404.
"""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.http import Http404
from ninja import Router, Schema

from galerie.api.errors import ErrorOut
from galerie.orders.selectors import order_for_request, order_vat_breakdown, orders_for_request

router = Router(tags=["commandes"])


class OrderSummaryOut(Schema):
    public_id: UUID
    number: str
    status: str
    status_label: str
    total: Decimal
    created_at: datetime
    url: str


class OrderLineOut(Schema):
    id: int
    title: str
    gtin: str
    condition: str
    unit_price: Decimal
    quantity: int
    vat_rate: Decimal
    vat_amount: Decimal
    # A private seller's sale: vat_rate 0 and why (pricing.sale_vat).
    vat_exemption: str | None = None
    vat_exemption_label: str | None = None
    line_total: Decimal
    refunded_quantity: int


class OrderSellerOrderOut(Schema):
    id: int
    seller: str
    seller_identity: str
    status: str
    status_label: str
    delivery_label: str
    delivery_fee: Decimal
    delivery_date_min: date | None
    delivery_date_max: date | None
    carrier: str
    tracking_number: str
    total: Decimal
    lines: list[OrderLineOut]


class VatRowOut(Schema):
    """One VAT rate's totals, of a cart's quote (the cart API) or of an order."""

    rate: Decimal
    ht: Decimal
    vat: Decimal
    ttc: Decimal
    # A private seller's sales: no VAT, rate 0, and why (pricing.sale_vat).
    exemption: str | None = None
    exemption_label: str | None = None


class OrderOut(OrderSummaryOut):
    email: str
    paid_at: datetime | None
    items_total: Decimal
    delivery_total: Decimal
    vat_total: Decimal
    refunded_total: Decimal
    shipping_address: dict
    seller_orders: list[OrderSellerOrderOut]
    vat_breakdown: list[VatRowOut]


class OrderStatusSellerOrderOut(Schema):
    id: int
    seller: str
    status: str
    carrier: str
    tracking_number: str


class OrderStatusOut(Schema):
    public_id: UUID
    status: str
    status_label: str
    seller_orders: list[OrderStatusSellerOrderOut]


def _summary(order) -> dict:
    return {
        "public_id": order.public_id,
        "number": order.number,
        "status": order.status,
        "status_label": str(order.get_status_display()),
        "total": order.total,
        "created_at": order.created_at,
        "url": order.get_absolute_url(),
    }


def _order_or_404(request, public_id: UUID):
    order = order_for_request(request, public_id)
    if order is None:
        raise Http404("Commande introuvable.")
    return order


@router.get("/", response=list[OrderSummaryOut])
def order_list(request):
    """The visitor's orders, newest first (100 at most)."""
    return [_summary(o) for o in orders_for_request(request).order_by("-created_at")[:100]]


@router.get("/{public_id}", response={200: OrderOut, 404: ErrorOut})
def order_get(request, public_id: UUID):
    order = _order_or_404(request, public_id)
    seller_orders = []
    for so in order.seller_orders.prefetch_related("lines").order_by("pk"):
        seller_orders.append(
            {
                "id": so.pk,
                "seller": so.seller_name,
                "seller_identity": so.seller_legal,
                "status": so.status,
                "status_label": str(so.get_status_display()),
                "delivery_label": so.delivery_label,
                "delivery_fee": so.delivery_fee,
                "delivery_date_min": so.delivery_date_min,
                "delivery_date_max": so.delivery_date_max,
                "carrier": so.carrier,
                "tracking_number": so.tracking_number,
                "total": so.total,
                "lines": [
                    {
                        "id": line.pk,
                        "title": line.title,
                        "gtin": line.gtin,
                        "condition": line.condition,
                        "unit_price": line.unit_price,
                        "quantity": line.quantity,
                        "vat_rate": line.vat_rate,
                        "vat_amount": line.vat_invoiced,
                        "vat_exemption": line.vat_exemption or None,
                        "vat_exemption_label": line.vat_exemption_label or None,
                        "line_total": line.line_total,
                        "refunded_quantity": line.refunded_quantity,
                    }
                    for line in so.lines.all()
                ],
            }
        )
    return {
        **_summary(order),
        "email": order.email,
        "paid_at": order.paid_at,
        "items_total": order.items_total,
        "delivery_total": order.delivery_total,
        "vat_total": order.vat_total,
        "refunded_total": order.refunded_total,
        "shipping_address": order.shipping_address,
        "seller_orders": seller_orders,
        "vat_breakdown": [
            {
                **row.__dict__,
                "exemption": row.exemption or None,
                "exemption_label": row.exemption_label or None,
            }
            for row in order_vat_breakdown(order)
        ],
    }


@router.get("/{public_id}/status", response={200: OrderStatusOut, 404: ErrorOut})
def order_status(request, public_id: UUID):
    order = _order_or_404(request, public_id)
    return {
        "public_id": order.public_id,
        "status": order.status,
        "status_label": str(order.get_status_display()),
        "seller_orders": [
            {
                "id": so.pk,
                "seller": so.seller_name,
                "status": so.status,
                "carrier": so.carrier,
                "tracking_number": so.tracking_number,
            }
            for so in order.seller_orders.order_by("pk")
        ],
    }

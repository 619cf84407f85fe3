"""The copy of a customer's personal data (RGPD art. 15 and 20): a registry of sections, each a
plain function `rows(user) -> list[dict]` of flat rows, rendered as one JSON document or as a ZIP
of one CSV per section.

Another app adds its data by appending a `Section` to `SECTIONS` here (reviews, returns,
invoices…): the JSON and the CSV follow. A section reads only rows linked to the user it is given.
Each section is capped at EXPORT_MAX_ROWS rows, newest first, so one export stays a bounded
amount of work; a capped section is named in the document's `truncated` list.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User

from galerie.accounts.models import Address
from galerie.cart.models import CartLine
from galerie.core import clock
from galerie.invoicing.models import Invoice
from galerie.orders.models import Order, OrderLine, SellerOrder
from galerie.payments.models import Payment, Refund, SavedCard
from galerie.returns.models import ReturnRequest
from galerie.reviews.models import Review
from galerie.subscriptions.models import Subscription
from galerie.travel.models import Traveller

EXPORT_MAX_ROWS = 5000
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Section:
    name: str  # the JSON key and the CSV file's name: stable, ASCII
    rows: Callable[[User], list[dict]]


def _capped(queryset) -> list:
    return list(queryset[: EXPORT_MAX_ROWS + 1])


def account_rows(user: User) -> list[dict]:
    return [
        {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        }
    ]


def address_rows(user: User) -> list[dict]:
    return [
        {
            "label": a.label,
            "name": a.name,
            "line1": a.line1,
            "line2": a.line2,
            "postcode": a.postcode,
            "city": a.city,
            "country": a.country,
            "phone": a.phone,
            "is_default": a.is_default,
            "created_at": a.created_at,
        }
        for a in _capped(Address.objects.filter(user=user).order_by("-created_at", "-pk"))
    ]


def order_rows(user: User) -> list[dict]:
    orders = Order.objects.filter(user=user).select_related("storefront").order_by("-pk")
    return [
        {
            "order": o.number,
            "created_at": o.created_at,
            "shop": o.storefront.name if o.storefront else "",
            "status": o.status,
            "email": o.email,
            "shipping_address": o.shipping_address,
            "billing_address": o.billing_address,
            "items_total": o.items_total,
            "delivery_total": o.delivery_total,
            "total": o.total,
            "vat_total": o.vat_total,
            "refunded_total": o.refunded_total,
            "paid_at": o.paid_at,
            "cancelled_at": o.cancelled_at,
        }
        for o in _capped(orders)
    ]


def seller_order_rows(user: User) -> list[dict]:
    parts = SellerOrder.objects.filter(order__user=user).select_related("order").order_by("-pk")
    return [
        {
            "order": p.order.number,
            "seller": p.seller_name,
            "status": p.status,
            "delivery": p.delivery_label,
            "delivery_fee": p.delivery_fee,
            "items_total": p.items_total,
            "total": p.total,
            "carrier": p.carrier,
            "tracking_number": p.tracking_number,
            "shipped_at": p.shipped_at,
            "delivered_at": p.delivered_at,
        }
        for p in _capped(parts)
    ]


def order_line_rows(user: User) -> list[dict]:
    lines = OrderLine.objects.filter(order__user=user).select_related("order").order_by("-pk")
    return [
        {
            "order": line.order.number,
            "seller": line.seller_name,
            "title": line.title,
            "gtin": line.gtin,
            "condition": line.condition,
            "unit_price": line.unit_price,
            "quantity": line.quantity,
            "vat_rate": line.vat_rate,
            "line_total": line.line_total,
            "refunded_quantity": line.refunded_quantity,
        }
        for line in _capped(lines)
    ]


def payment_rows(user: User) -> list[dict]:
    """Method, amounts and dates: never the provider's references (they are not the customer's
    data, and a card's number never reaches Galerie)."""
    payments = Payment.objects.filter(order__user=user).select_related("order").order_by("-pk")
    return [
        {
            "order": p.order.number,
            "method": p.method,
            "status": p.status,
            "amount": p.amount,
            "refunded_amount": p.refunded_amount,
            "created_at": p.created_at,
            "captured_at": p.captured_at,
        }
        for p in _capped(payments)
    ]


def refund_rows(user: User) -> list[dict]:
    refunds = Refund.objects.filter(order__user=user).select_related("order").order_by("-pk")
    return [
        {
            "order": r.order.number,
            "amount": r.amount,
            "status": r.status,
            "reason": r.reason,
            "created_at": r.created_at,
        }
        for r in _capped(refunds)
    ]


def saved_card_rows(user: User) -> list[dict]:
    cards = SavedCard.objects.filter(user=user).order_by("-pk")
    return [
        {
            "brand": c.brand,
            "last4": c.last4,
            "expiry": f"{c.exp_month:02d}/{c.exp_year}",
            "is_active": c.is_active,
            "created_at": c.created_at,
        }
        for c in _capped(cards)
    ]


def subscription_rows(user: User) -> list[dict]:
    subscriptions = Subscription.objects.filter(user=user).select_related("plan").order_by("-pk")
    return [
        {
            "publication": s.plan.publication,
            "status": s.status,
            "email": s.email,
            "delivery_address": s.delivery_address,
            "starts_on": s.starts_on,
            "ends_on": s.ends_on,
            "auto_renew": s.auto_renew,
            "terminated_at": s.terminated_at,
        }
        for s in _capped(subscriptions)
    ]


def traveller_rows(user: User) -> list[dict]:
    travellers = (
        Traveller.objects.filter(booking__order_line__order__user=user)
        .select_related("booking__order_line__order", "booking__departure")
        .order_by("-pk")
    )
    return [
        {
            "order": t.booking.order_line.order.number,
            "trip": t.booking.order_line.title,
            "departure": t.booking.departure.starts_on,
            "kind": t.kind,
            "first_name": t.first_name,
            "last_name": t.last_name,
            "birth_date": t.birth_date,
        }
        for t in _capped(travellers)
    ]


def cart_rows(user: User) -> list[dict]:
    lines = (
        CartLine.objects.filter(cart__user=user)
        .select_related("cart__storefront", "offer__product")
        .order_by("-pk")
    )
    return [
        {
            "shop": line.cart.storefront.name,
            "product": line.offer.product.title,
            "quantity": line.quantity,
            "unit_price_at_add": line.unit_price_at_add,
            "added_at": line.created_at,
        }
        for line in _capped(lines)
    ]


def invoice_rows(user: User) -> list[dict]:
    """The customer's invoices and credit notes as issued (their own copies stay downloadable
    from each order's page)."""
    invoices = Invoice.objects.filter(seller_order__order__user=user).order_by("-issued_at", "-pk")
    return [
        {
            "number": i.number,
            "kind": i.kind,
            "issued_at": i.issued_at,
            "order": i.order_number,
            "issuer": i.issuer_name,
            "buyer_name": i.buyer_name,
            "buyer_address": i.buyer_address,
            "buyer_company": i.buyer_company,
            "buyer_siren": i.buyer_siren,
            "buyer_vat_number": i.buyer_vat_number,
            "total_ht": i.total_ht,
            "total_vat": i.total_vat,
            "total_ttc": i.total_ttc,
        }
        for i in _capped(invoices)
    ]


def return_rows(user: User) -> list[dict]:
    """Withdrawals and conformity claims the customer filed."""
    returns = (
        ReturnRequest.objects.filter(order__user=user)
        .select_related("order", "line")
        .order_by("-created_at", "-pk")
    )
    return [
        {
            "order": r.order.number,
            "kind": r.kind,
            "product": r.line.title,
            "quantity": r.quantity,
            "reason": r.reason,
            "status": r.status,
            "created_at": r.created_at,
            "closed_at": r.closed_at,
        }
        for r in _capped(returns)
    ]


def review_rows(user: User) -> list[dict]:
    reviews = Review.objects.filter(customer=user).select_related("product").order_by("-pk")
    return [
        {
            "product": r.product.title,
            "rating": r.rating,
            "title": r.title,
            "body": r.body,
            "signed": r.author_name,
            "purchased_on": r.purchased_on,
            "status": r.status,
            "created_at": r.created_at,
        }
        for r in _capped(reviews)
    ]


SECTIONS: list[Section] = [
    Section("account", account_rows),
    Section("addresses", address_rows),
    Section("orders", order_rows),
    Section("order_sellers", seller_order_rows),
    Section("order_lines", order_line_rows),
    Section("payments", payment_rows),
    Section("refunds", refund_rows),
    Section("invoices", invoice_rows),
    Section("returns", return_rows),
    Section("reviews", review_rows),
    Section("saved_cards", saved_card_rows),
    Section("subscriptions", subscription_rows),
    Section("travellers", traveller_rows),
    Section("carts", cart_rows),
]


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def customer_data(*, user: User, sections: list[Section] | None = None) -> dict:
    """Every section's rows for `user` (values as JSON types: amounts as strings, dates ISO)."""
    data, truncated = {}, []
    for section in SECTIONS if sections is None else sections:
        rows = section.rows(user)
        if len(rows) > EXPORT_MAX_ROWS:
            rows = rows[:EXPORT_MAX_ROWS]
            truncated.append(section.name)
        data[section.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": clock.now().isoformat(),
        "max_rows_per_section": EXPORT_MAX_ROWS,
        "truncated": truncated,
        "sections": data,
    }


def customer_data_json(*, user: User) -> bytes:
    return json.dumps(customer_data(user=user), ensure_ascii=False, indent=2).encode()


def customer_data_zip(*, user: User) -> bytes:
    """A ZIP of one CSV per section (UTF-8 with a BOM, so a spreadsheet reads the accents; a
    nested value such as an address is written as JSON in its cell) and a README.txt."""
    document = customer_data(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in document["sections"].items():
            text = io.StringIO()
            text.write("\ufeff")
            if rows:
                writer = csv.DictWriter(text, fieldnames=list(rows[0]))
                writer.writeheader()
                for row in rows:
                    writer.writerow(
                        {
                            k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
                            for k, v in row.items()
                        }
                    )
            archive.writestr(f"{name}.csv", text.getvalue())
        archive.writestr(
            "README.txt",
            f"generated_at: {document['generated_at']}\n"
            f"max_rows_per_section: {document['max_rows_per_section']}\n"
            f"truncated: {', '.join(document['truncated']) or '-'}\n",
        )
    return buffer.getvalue()

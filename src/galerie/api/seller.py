"""Seller API: a seller's offers, orders and statements, with a per-user bearer token.

`Authorization: Bearer <token>` (tokens are created and revoked at /vendeur/jetons/). The token
stands for one user working for one seller; membership is re-checked on every call. Handlers
call the same services and seller-scoped selectors as the portal pages, so another seller's
offer or order id answers 404 exactly like a missing one. Errors: {"code", "message"}.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.security import HttpBearer

from galerie.api.errors import ErrorOut, ValidationErrorOut
from galerie.api.schemas import In
from galerie.catalog.gtin import InvalidGTIN, normalize_gtin
from galerie.catalog.models import Product
from galerie.core import throttle
from galerie.core.errors import DomainError
from galerie.core.money import MONEY_FIELD
from galerie.moderation.limits import COMPLAINT_MAX
from galerie.moderation.selectors import decision_of_seller, decisions_of_seller
from galerie.moderation.services import complaint_deadline, complaint_open_to, complaint_submit
from galerie.orders import services as order_services
from galerie.payments.refunds import seller_order_cancel
from galerie.portal import selectors
from galerie.portal.access import PENDING_STATUSES
from galerie.portal.auth import api_token_member
from galerie.portal.services import (
    ALL_OR_NOTHING,
    portal_offer_create,
    portal_offer_update,
    portal_offers_bulk_update,
)
from galerie.sellers.limits import (
    OFFER_DELIVERY_PRICE_MAX,
    OFFER_LEAD_TIME_MAX_DAYS,
    OFFER_PRICE_MAX,
    OFFER_PRICE_MIN,
    OFFER_STOCK_MAX,
)
from galerie.sellers.models import Offer, SellerMember


class SellerAccessError(DomainError):
    code = "forbidden"
    status = 403


class SellerBearer(HttpBearer):
    def authenticate(self, request, token: str) -> SellerMember | None:
        # An address that keeps sending wrong tokens is refused before any lookup; a valid
        # token has its own allowance of calls per minute.
        ip = throttle.client_ip(request)
        throttle.throttle_check(throttle.API_TOKEN_FAILURE_IP, ip)
        member = api_token_member(token)
        if member is None:
            throttle.throttle_record(throttle.API_TOKEN_FAILURE_IP, ip)
            return None
        throttle.throttle_hit(throttle.API_TOKEN_USE, str(member.user_id), str(member.seller_id))
        if member.seller.status in PENDING_STATUSES:
            raise SellerAccessError(
                _("Ce compte vendeur n'est pas ouvert (statut : %(s)s).")
                % {"s": member.seller.get_status_display()},
                code="seller_not_open",
            )
        return member


router = Router(tags=["vendeur"], auth=SellerBearer())
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    429: ErrorOut,
}


def _member(request) -> SellerMember:
    return request.auth


# --- Offers ------------------------------------------------------------------------------------


class SellerOfferOut(Schema):
    id: int
    product_id: int
    product_title: str
    gtin: str | None
    sku: str
    price: Decimal
    delivery_price: Decimal
    condition: str
    condition_note: str
    stock: int
    lead_time_days: int
    is_active: bool


class OfferPage(Schema):
    total: int
    offset: int
    limit: int
    items: list[SellerOfferOut]


# The offer's bounds are the model's (sellers.limits): a value out of them is a 422 naming the
# field, before any service runs; a float such as 1e30 is refused the same way.
def _price(default=...):
    return Field(default, ge=OFFER_PRICE_MIN, le=OFFER_PRICE_MAX, **MONEY_FIELD)


def _delivery_price(default=...):
    return Field(default, ge=0, le=OFFER_DELIVERY_PRICE_MAX, **MONEY_FIELD)


def _stock(default=...):
    return Field(default, ge=0, le=OFFER_STOCK_MAX)


def _lead_time(default=...):
    return Field(default, ge=0, le=OFFER_LEAD_TIME_MAX_DAYS)


def _text(name: str, default):
    """A text field no longer than the offer's column (PostgreSQL refuses more: a 500)."""
    return Field(default, max_length=Offer._meta.get_field(name).max_length)


class OfferCreateIn(In):
    product_id: int | None = None
    gtin: str | None = None
    price: Decimal = _price()
    stock: int = _stock()
    condition: str = "new"
    condition_note: str = _text("condition_note", "")
    delivery_price: Decimal = _delivery_price(Decimal("0"))
    lead_time_days: int = _lead_time(2)
    sku: str = _text("sku", "")


class OfferPatchIn(In):
    price: Decimal | None = _price(None)
    stock: int | None = _stock(None)
    condition: str | None = None
    condition_note: str | None = _text("condition_note", None)
    delivery_price: Decimal | None = _delivery_price(None)
    lead_time_days: int | None = _lead_time(None)
    sku: str | None = _text("sku", None)
    is_active: bool | None = None


class BulkItemIn(In):
    """Each item's bounds are checked by the bulk service (the same OFFER_* limits), so a bad
    item is reported by number in the BulkOut body rather than failing the whole request."""

    sku: str | None = None
    gtin: str | None = None
    price: Decimal | None = None
    stock: int | None = None


class BulkIn(In):
    mode: str = ALL_OR_NOTHING
    items: list[BulkItemIn]


class BulkErrorOut(Schema):
    row: int
    column: str
    message: str


class BulkOut(Schema):
    code: str
    message: str
    mode: str
    rows: int
    applied: int
    errors: list[BulkErrorOut]


def _offer_out(offer) -> dict:
    return {
        "id": offer.pk,
        "product_id": offer.product_id,
        "product_title": offer.product.title,
        "gtin": offer.product.gtin,
        "sku": offer.sku,
        "price": offer.price,
        "delivery_price": offer.delivery_price,
        "condition": offer.condition,
        "condition_note": offer.condition_note,
        "stock": offer.stock,
        "lead_time_days": offer.lead_time_days,
        "is_active": offer.is_active,
    }


# Pagination bounds of the seller's lists: out of them is a 422, never a database overflow.
PAGE_OFFSET_MAX = 1_000_000
PAGE_LIMIT_MAX = 200
Offset = Query(0, ge=0, le=PAGE_OFFSET_MAX)
Limit = Query(50, ge=1, le=PAGE_LIMIT_MAX)


@router.get("/offers", response={200: OfferPage, **ERRORS})
def offer_list(
    request,
    q: str = "",
    state: str = "",
    condition: str = "",
    offset: int = Offset,
    limit: int = Limit,
):
    """The seller's offers; `state` is active, inactive or out_of_stock; 200 per page at most."""
    offers = selectors.seller_offers(
        seller=_member(request).seller, query=q[:200], state=state, condition=condition
    )
    return {
        "total": offers.count(),
        "offset": offset,
        "limit": limit,
        "items": [_offer_out(o) for o in offers[offset : offset + limit]],
    }


@router.post("/offers", response={201: SellerOfferOut, **ERRORS})
def offer_create(request, payload: OfferCreateIn):
    """Publish an offer on an existing product, given by `product_id` or `gtin`."""
    products = Product.objects.filter(is_active=True).select_related("product_type")
    if payload.product_id is not None:
        product = products.filter(pk=payload.product_id).first()
    elif payload.gtin:
        try:
            product = products.filter(gtin=normalize_gtin(payload.gtin)).first()
        except InvalidGTIN as exc:
            raise DomainError(str(exc), code="invalid_gtin", field="gtin") from exc
    else:
        raise DomainError(_("Indiquez le produit : product_id ou gtin."), code="product_required")
    if product is None:
        raise Http404(_("Produit introuvable."))
    data = payload.dict(exclude={"product_id", "gtin"})
    offer = portal_offer_create(seller=_member(request).seller, product=product, **data)
    return 201, _offer_out(offer)


# A 422 is either the report of refused items or, for a body off the schema, the usual one.
@router.post("/offers/bulk", response={200: BulkOut, 422: BulkOut | ValidationErrorOut, **ERRORS})
def offer_bulk(request, payload: BulkIn):
    """Update price and/or stock of many offers (by `sku` or `gtin`). Item numbers in the report
    start at 1. mode=all_or_nothing (default): any faulty item → nothing changed (422);
    mode=valid_rows: the valid items are applied, the faulty ones reported (200)."""
    member = _member(request)
    rows = [
        (
            number,
            {name: "" if value is None else str(value) for name, value in item.dict().items()},
        )
        for number, item in enumerate(payload.items, start=1)
    ]
    result = portal_offers_bulk_update(
        seller=member.seller, rows=rows, mode=payload.mode, actor=member.user
    )
    body = {
        "code": "ok" if result.ok else "bulk_rows_invalid",
        "message": _("%(n)d offre(s) mise(s) à jour, %(e)d ligne(s) en erreur.")
        % {"n": result.applied, "e": len(result.errors)},
        "mode": result.mode,
        "rows": result.rows,
        "applied": result.applied,
        "errors": [e.__dict__ for e in result.errors],
    }
    return (422 if result.errors and result.applied == 0 else 200), body


# Declared after /offers/bulk: a path parameter route must not shadow the literal one.
@router.get("/offers/{offer_id}", response={200: SellerOfferOut, **ERRORS})
def offer_get(request, offer_id: int):
    return _offer_out(selectors.seller_offer(seller=_member(request).seller, offer_id=offer_id))


@router.patch("/offers/{offer_id}", response={200: SellerOfferOut, **ERRORS})
def offer_patch(request, offer_id: int, payload: OfferPatchIn):
    member = _member(request)
    changes = payload.dict(exclude_none=True)
    if not changes:
        raise DomainError(_("Aucune modification demandée."), code="nothing_to_change")
    offer = portal_offer_update(
        seller=member.seller, offer_id=offer_id, actor=member.user, **changes
    )
    offer.refresh_from_db()
    return _offer_out(offer)


# --- Orders ------------------------------------------------------------------------------------


class SellerOrderLineOut(Schema):
    id: int
    title: str
    gtin: str
    condition: str
    unit_price: Decimal
    quantity: int
    line_total: Decimal
    vat_rate: Decimal
    vat_exemption: str | None = None
    refunded_quantity: int
    commission: Decimal | None


class SellerOrderSummaryOut(Schema):
    id: int
    order_number: str
    status: str
    status_label: str
    created_at: dt.datetime
    total: Decimal


class SellerOrderOut(SellerOrderSummaryOut):
    items_total: Decimal
    delivery_label: str
    delivery_fee: Decimal
    delivery_date_max: dt.date | None
    carrier: str
    tracking_number: str
    shipping_address: dict
    lines: list[SellerOrderLineOut]


class ShipIn(In):
    carrier: str
    tracking_number: str


class CancelIn(In):
    reason: str


def _order_summary(so) -> dict:
    return {
        "id": so.pk,
        "order_number": so.order.number,
        "status": so.status,
        "status_label": str(so.get_status_display()),
        "created_at": so.created_at,
        "total": so.total,
    }


def _order_out(so) -> dict:
    return {
        **_order_summary(so),
        "items_total": so.items_total,
        "delivery_label": so.delivery_label,
        "delivery_fee": so.delivery_fee,
        "delivery_date_max": so.delivery_date_max,
        "carrier": so.carrier,
        "tracking_number": so.tracking_number,
        "shipping_address": so.order.shipping_address,
        "lines": [
            {
                "id": line.pk,
                "title": line.title,
                "gtin": line.gtin,
                "condition": line.condition,
                "unit_price": line.unit_price,
                "quantity": line.quantity,
                "line_total": line.line_total,
                "vat_rate": line.vat_rate,
                "vat_exemption": line.vat_exemption or None,
                "refunded_quantity": line.refunded_quantity,
                "commission": selectors.line_commission(line),
            }
            for line in so.lines.all()
        ],
    }


def _seller_order(request, seller_order_id: int):
    return selectors.seller_order(seller=_member(request).seller, seller_order_id=seller_order_id)


@router.get("/orders", response={200: list[SellerOrderSummaryOut], **ERRORS})
def order_list(request, status: str = "", offset: int = Offset, limit: int = Limit):
    orders = selectors.seller_orders(seller=_member(request).seller, status=status)
    return [_order_summary(so) for so in orders[offset : offset + limit]]


@router.get("/orders/{seller_order_id}", response={200: SellerOrderOut, **ERRORS})
def order_get(request, seller_order_id: int):
    return _order_out(_seller_order(request, seller_order_id))


@router.post("/orders/{seller_order_id}/accept", response={200: SellerOrderOut, **ERRORS})
def order_accept(request, seller_order_id: int):
    so = _seller_order(request, seller_order_id)
    order_services.seller_order_accept(seller_order=so, actor=_member(request).user)
    return _order_out(_seller_order(request, seller_order_id))


@router.post("/orders/{seller_order_id}/ship", response={200: SellerOrderOut, **ERRORS})
def order_ship(request, seller_order_id: int, payload: ShipIn):
    so = _seller_order(request, seller_order_id)
    order_services.seller_order_ship(
        seller_order=so,
        carrier=payload.carrier,
        tracking_number=payload.tracking_number,
        actor=_member(request).user,
    )
    return _order_out(_seller_order(request, seller_order_id))


@router.post("/orders/{seller_order_id}/cancel", response={200: SellerOrderOut, **ERRORS})
def order_cancel(request, seller_order_id: int, payload: CancelIn):
    reason = payload.reason.strip()
    if not reason:
        raise DomainError(_("Indiquez le motif de l'annulation."), field="reason")
    so = _seller_order(request, seller_order_id)
    seller_order_cancel(seller_order=so, reason=reason[:200], actor=_member(request).user)
    return _order_out(_seller_order(request, seller_order_id))


# --- Statements --------------------------------------------------------------------------------


class StatementMonthOut(Schema):
    month: str
    credit: Decimal
    debit: Decimal
    net: Decimal


class StatementsOut(Schema):
    balance: Decimal
    months: list[StatementMonthOut]


class StatementLineOut(Schema):
    date: dt.date
    entry: str
    kind: str
    label: str
    reference: str
    credit: Decimal
    debit: Decimal


class StatementOut(Schema):
    month: str
    credit: Decimal
    debit: Decimal
    lines: list[StatementLineOut]


def _owner(request) -> SellerMember:
    member = _member(request)
    if not selectors.member_is_owner(member):
        raise SellerAccessError(
            _("Les relevés sont réservés au propriétaire du compte vendeur."), code="owner_only"
        )
    return member


@router.get("/statements", response={200: StatementsOut, **ERRORS})
def statement_list(request):
    """The seller's balance (ledger) and one statement per month, newest first (owner only)."""
    seller = _owner(request).seller
    return {
        "balance": selectors.seller_money(seller=seller).balance,
        "months": [
            {"month": s.key, "credit": s.credit, "debit": s.debit, "net": s.net}
            for s in selectors.seller_statements(seller=seller)
        ],
    }


@router.get("/statements/{month}", response={200: StatementOut, **ERRORS})
def statement_get(request, month: str):
    """One month (YYYY-MM) of the seller's payable account, line by line (owner only)."""
    seller = _owner(request).seller
    start = selectors.parse_month(month)
    if start is None:
        raise DomainError(_("Mois attendu au format AAAA-MM."), code="invalid_month")
    lines = selectors.seller_statement_lines(seller=seller, month=start)
    return {
        "month": start.strftime("%Y-%m"),
        "credit": sum((line.credit for line in lines), Decimal("0.00")),
        "debit": sum((line.debit for line in lines), Decimal("0.00")),
        "lines": [
            {
                "date": line.date,
                "entry": line.entry.piece_number,
                "kind": line.entry.kind,
                "label": line.label or line.entry.label,
                "reference": line.entry.reference or line.entry.order_ref,
                "credit": line.credit,
                "debit": line.debit,
            }
            for line in lines
        ],
    }


# --- Moderation decisions (DSA art. 17 and 20) -------------------------------------------------


class ComplaintOut(Schema):
    status: str
    text: str
    created_at: dt.datetime
    outcome_reason: str
    resolved_at: dt.datetime | None


class DecisionOut(Schema):
    id: int
    notice_reference: str
    product_id: int
    product_title: str
    offer_id: int | None
    kind: str
    facts: str
    ground_kind: str
    ground: str
    automated: bool
    created_at: dt.datetime
    reversed_at: dt.datetime | None
    complaint_deadline: dt.datetime
    complaint_open: bool
    complaint: ComplaintOut | None


class ComplaintIn(In):
    text: str = Field(..., max_length=COMPLAINT_MAX)


def _decision_out(decision) -> dict:
    complaint = getattr(decision, "complaint", None)
    return {
        "id": decision.pk,
        "notice_reference": decision.notice.reference,
        "product_id": decision.notice.product_id,
        "product_title": decision.notice.product.title,
        "offer_id": decision.notice.offer_id,
        "kind": decision.kind,
        "facts": decision.facts,
        "ground_kind": decision.ground_kind,
        "ground": decision.ground,
        "automated": decision.automated,
        "created_at": decision.created_at,
        "reversed_at": decision.reversed_at,
        "complaint_deadline": complaint_deadline(decision),
        "complaint_open": complaint_open_to(decision),
        "complaint": None
        if complaint is None
        else {
            "status": complaint.status,
            "text": complaint.text,
            "created_at": complaint.created_at,
            "outcome_reason": complaint.outcome_reason,
            "resolved_at": complaint.resolved_at,
        },
    }


def _decision(request, decision_id: int):
    decision = decision_of_seller(_member(request).seller, decision_id)
    if decision is None:
        raise Http404(_("Décision introuvable."))
    return decision


@router.get("/decisions", response={200: list[DecisionOut], **ERRORS})
def decision_list(request, offset: int = Offset, limit: int = Limit):
    """The moderation decisions concerning the seller, newest first, each with its statement of
    reasons (DSA art. 17)."""
    decisions = decisions_of_seller(_member(request).seller)
    return [_decision_out(d) for d in decisions[offset : offset + limit]]


@router.get("/decisions/{decision_id}", response={200: DecisionOut, **ERRORS})
def decision_get(request, decision_id: int):
    return _decision_out(_decision(request, decision_id))


@router.post("/decisions/{decision_id}/complaint", response={201: DecisionOut, **ERRORS})
def decision_complaint(request, decision_id: int, payload: ComplaintIn):
    """Contest a decision (DSA art. 20): once, within six months. 400 with the code
    `complaint_exists` when one was already lodged, `complaint_late` after the deadline."""
    complaint_submit(
        decision=_decision(request, decision_id),
        seller=_member(request).seller,
        text=payload.text,
        user=_member(request).user,
    )
    return 201, _decision_out(_decision(request, decision_id))

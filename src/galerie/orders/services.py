"""Order writes: placing an order and every transition of its lifecycle.

Order:        pending_payment → paid | cancelled
SellerOrder:  pending_payment → paid → accepted → shipped → delivered, or → cancelled before
              shipping. Every transition is a conditional UPDATE on the current status (so two
              concurrent calls cannot both succeed) plus an OrderEvent (who, when, from → to).
Stock is reserved by `order_place` and released by payment failure, expiry and cancellation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from galerie.accounts.addresses import address_clean
from galerie.core import clock
from galerie.inventory.errors import OutOfStock
from galerie.inventory.models import MovementKind
from galerie.inventory.services import stock_release, stock_reserve, stock_ship
from galerie.ledger.postings import order_capture_post, seller_order_parcel_post
from galerie.orders import emails
from galerie.orders.errors import (
    EmptyOrder,
    IdempotencyConflict,
    InvalidDelivery,
    InvalidTransition,
    OfferUnavailable,
    OrderError,
    OrderTooLarge,
    OutOfStockError,
    PriceChanged,
    line_quantity_message,
)
from galerie.orders.limits import LINE_QUANTITY_MAX
from galerie.orders.locks import order_lock, seller_order_lock
from galerie.orders.models import (
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    SellerOrder,
    SellerOrderStatus,
)
from galerie.orders.selectors import order_quote
from galerie.promotions.errors import VoucherError
from galerie.promotions.vouchers import voucher_normalize, voucher_redeem
from galerie.sellers.commissions import commission_compute, commission_rule_for
from galerie.sellers.onboarding import check_siren, check_vat
from galerie.storefronts.errors import StorefrontDetached, storefront_detached_message
from galerie.storefronts.models import Storefront
from galerie.subscriptions.services import (
    subscriptions_create_for_order,
    subscriptions_on_order_closed,
    subscriptions_on_order_paid,
)
from galerie.travel.services import bookings_cancel_for_order, bookings_confirm, bookings_create

S = SellerOrderStatus
PAYMENT_TIMEOUT = dt.timedelta(minutes=getattr(settings, "GALERIE_ORDER_PAYMENT_MINUTES", 60))
TRANSFER_TIMEOUT = dt.timedelta(days=getattr(settings, "GALERIE_TRANSFER_DAYS", 7))
OPEN_SELLER_STATUSES = (S.PENDING_PAYMENT, S.PAID, S.ACCEPTED)


def _actor_label(actor, default: str) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.get_username()[:100]
    return default


def _event(*, order, to_status, from_status="", seller_order=None, actor=None, label="", note=""):
    OrderEvent.objects.create(
        order=order,
        seller_order=seller_order,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor, label or "système"),
        from_status=from_status,
        to_status=to_status,
        note=note[:300],
    )


# --- Placing an order --------------------------------------------------------------------------


def _request_hash(**body) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class OrderPlacement:
    order: Order
    # True when the key had already placed this order (a retry, or the loser of a race between
    # two identical requests): nothing was created by this call.
    replayed: bool


def order_place(**kwargs) -> Order:
    """The order placed (or replayed) by `order_place_or_replay`, given the same keywords."""
    return order_place_or_replay(**kwargs).order


def order_place_or_replay(
    *,
    storefront,
    email: str,
    user=None,
    lines: list[tuple[int, int]],
    details: dict[int, dict] | None = None,
    delivery_choices: dict[int, int],
    shipping_address: dict,
    billing_address: dict,
    idempotency_key: str,
    expected_total: Decimal | None = None,
    buyer_company: str = "",
    buyer_siren: str = "",
    buyer_vat_number: str = "",
    voucher_code: str = "",
) -> OrderPlacement:
    """Place an order: validate, reserve stock, split per seller, snapshot lines, queue e-mails.

    `expected_total` (optional) is the TTC total the customer saw on the recap: if prices or
    delivery fees changed since, PriceChanged (409) is raised and nothing is written, so nobody
    is charged an amount they did not accept. `voucher_code` takes a voucher's discount off the
    lines it covers; its use is counted under the voucher's lock (promotions.voucher_redeem).

    Idempotent: the same key with the same body returns the first order, replayed (nothing is
    created by this call); the same key with a different body raises IdempotencyConflict. The
    Order row (holding the unique key) is inserted before any stock is touched, so a concurrent
    duplicate waits on the key and then returns the first order without reserving anything.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 128:
        raise OrderError(
            _("Une clé d'idempotence (1 à 128 caractères) est obligatoire."),
            code="idempotency_key_required",
        )
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise OrderError(
            _("Adresse e-mail invalide."), code="invalid_email", field="email"
        ) from None
    shipping = address_clean(shipping_address, which=_("de livraison"))
    billing = address_clean(billing_address or shipping_address, which=_("de facturation"))
    buyer = buyer_identity_clean(
        company=buyer_company, siren=buyer_siren, vat_number=buyer_vat_number
    )
    merged: dict[int, int] = {}
    for offer_id, quantity in lines or []:
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
            raise OrderError(_("La quantité doit être un entier positif."), code="bad_quantity")
        merged[int(offer_id)] = merged.get(int(offer_id), 0) + quantity
        if merged[int(offer_id)] > LINE_QUANTITY_MAX:
            raise OrderError(line_quantity_message(), code="bad_quantity", field="quantity")
    if not merged:
        raise EmptyOrder(_("Le panier est vide."))
    choices = {int(k): int(v) for k, v in (delivery_choices or {}).items()}
    details = {int(k): v for k, v in (details or {}).items() if int(k) in merged and v}
    voucher_code = voucher_normalize(voucher_code)
    request_hash = _request_hash(
        storefront=getattr(storefront, "pk", None),
        email=email,
        user=getattr(user, "pk", None),
        lines=sorted(merged.items()),
        details=sorted(details.items()),
        delivery=sorted(choices.items()),
        shipping=shipping,
        billing=billing,
        **({"buyer": sorted(buyer.items())} if any(buyer.values()) else {}),
        **({"voucher": voucher_code} if voucher_code else {}),
    )

    existing = Order.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _idempotent_replay(existing, request_hash)
    try:
        order = _order_create(
            storefront=storefront,
            email=email,
            user=user,
            lines=sorted(merged.items()),
            details=details,
            choices=choices,
            shipping=shipping,
            billing=billing,
            key=key,
            request_hash=request_hash,
            expected_total=expected_total,
            buyer=buyer,
            voucher_code=voucher_code,
        )
    except (IntegrityError, OrderError, VoucherError):
        # A concurrent request with the same key placed its order first: we waited on the key's
        # unique index until it committed (IntegrityError), or saw the stock or the prices that
        # it had just taken (an OrderError). Either way this request is a replay of that order.
        existing = Order.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _idempotent_replay(existing, request_hash)
    return OrderPlacement(order=order, replayed=False)


def buyer_identity_clean(*, company: str, siren: str, vat_number: str) -> dict[str, str]:
    """A business buyer's identity for its invoices, all optional: the SIREN (or SIRET) and the
    intra-EU VAT number are checked (python-stdnum, as for sellers), and both need a company
    name. Returns the Order fields; raises OrderError naming the field."""
    company, siren, vat_number = (v.strip() for v in (company or "", siren or "", vat_number or ""))
    limit = Order._meta.get_field("buyer_company").max_length
    if len(company) > limit:
        raise OrderError(
            _("Le nom de la société tient en %(n)d caractères au plus.") % {"n": limit},
            code="invalid_buyer_company",
            field="buyer_company",
        )
    if siren:
        try:
            siren = check_siren(siren)
        except ValueError as exc:
            raise OrderError(str(exc), code="invalid_buyer_siren", field="buyer_siren") from None
    if vat_number:
        try:
            vat_number = check_vat(vat_number, siren)
        except ValueError as exc:
            raise OrderError(str(exc), code="invalid_buyer_vat", field="buyer_vat_number") from None
    if (siren or vat_number) and not company:
        raise OrderError(
            _("Indiquez le nom de la société à facturer avec son SIREN ou son n° de TVA."),
            code="buyer_company_required",
            field="buyer_company",
        )
    return {"buyer_company": company, "buyer_siren": siren, "buyer_vat_number": vat_number}


def storefront_open_check(storefront) -> None:
    """Refuse an order on a sold storefront. Read from the database, not the instance given:
    a page opened before the sale may still hold the storefront as it was."""
    if storefront is None:
        return
    sold = (
        Storefront.objects.filter(pk=storefront.pk, detached_at__isnull=False)
        .values_list("successor_name", flat=True)
        .first()
    )
    if sold is not None:
        raise StorefrontDetached(
            storefront_detached_message(name=storefront.name, successor_name=sold)
        )


def _idempotent_replay(order: Order, request_hash: str) -> OrderPlacement:
    if order.request_hash != request_hash:
        raise IdempotencyConflict(
            _("Cette clé d'idempotence a déjà servi pour une autre commande.")
        )
    return OrderPlacement(order=order, replayed=True)


@transaction.atomic
def _order_create(
    *,
    storefront,
    email,
    user,
    lines,
    details,
    choices,
    shipping,
    billing,
    key,
    request_hash,
    expected_total,
    buyer,
    voucher_code="",
) -> Order:
    storefront_open_check(storefront)
    quote = order_quote(
        storefront=storefront,
        lines=lines,
        details=details,
        delivery_choices=choices,
        voucher_code=voucher_code,
        email=email,
    )
    if quote.voucher_error is not None:
        raise quote.voucher_error
    if expected_total is not None and Decimal(str(expected_total)) != quote.total:
        raise PriceChanged(
            _(
                "Le montant de la commande a changé (%(old)s € → %(new)s €) : vérifiez le "
                "récapitulatif avant de commander."
            )
            % {"old": expected_total, "new": quote.total}
        )
    for problem in quote.problems:
        if problem.code == "offer_unavailable":
            raise OfferUnavailable(problem.message)
        if problem.code == "out_of_stock":
            raise OutOfStockError(problem.message)
        if problem.code == "invalid_delivery":
            raise InvalidDelivery(problem.message)
        if problem.code == "order_too_large":
            raise OrderTooLarge(problem.message)
        if problem.code == "departure_past":
            raise OfferUnavailable(problem.message, code="departure_past")
        if problem.code in ("travellers_required", "bad_details"):
            # A trip line's details (travellers, counts, options) are not what it needs.
            raise OrderError(problem.message, code=problem.code, field="details")
        if problem.code == "bad_quantity":
            raise OrderError(problem.message, code="bad_quantity", field="quantity")
    if quote.is_empty:
        raise EmptyOrder(_("Le panier est vide."))
    now = clock.now()
    order = Order.objects.create(
        storefront=storefront,
        email=email,
        user=user if getattr(user, "is_authenticated", False) else None,
        shipping_address=shipping,
        billing_address=billing,
        items_total=quote.items_total,
        delivery_total=quote.delivery_total,
        total=quote.total,
        vat_total=quote.vat_total,
        idempotency_key=key,
        request_hash=request_hash,
        expires_at=now + PAYMENT_TIMEOUT,
        **buyer,
    )
    if quote.voucher is not None:
        # Under the voucher's lock, before any stock: the last use goes to one order only.
        voucher_redeem(voucher_id=quote.voucher.pk, order=order, email=email, amount=quote.discount)
    for group in quote.groups:
        seller = group.seller
        legal = ", ".join(
            part
            for part in (seller.legal_name, seller.address.replace("\n", " "), seller.siren)
            if part
        )
        seller_order = SellerOrder.objects.create(
            order=order,
            seller=seller,
            seller_name=group.seller_name,
            seller_legal=legal[:400],
            delivery_method_id=group.chosen.method_id or None,
            delivery_label=group.chosen.label,
            delivery_fee=group.delivery_fee,
            delivery_vat=[
                {"rate": str(rate), "ttc": str(ttc), "vat": str(vat)}
                | ({"exemption": group.vat_exemption} if group.vat_exemption else {})
                for rate, ttc, vat in group.delivery_vat
            ],
            delivery_date_min=group.chosen.date_min,
            delivery_date_max=group.chosen.date_max,
            items_total=group.subtotal,
            total=group.total,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                seller_order=seller_order,
                offer=line.offer,
                product=line.offer.product,
                title=line.title,
                gtin=line.offer.product.gtin or "",
                seller_name=group.seller_name,
                condition=line.offer.condition,
                is_new_book=line.is_new_book,
                unit_price=line.unit_price,
                quantity=line.quantity,
                vat_rate=line.vat_rate,
                line_total=line.line_total,
                vat_amount=line.vat_amount,
                vat_exemption=line.vat_exemption,
                details=line.details
                if line.details is not None
                else details.get(line.offer_id, {}),
            )
            for line in group.lines
        )
    # --- Line extensions, once the order lines exist ---------------------------------------
    bookings_create(order=order)  # travel: a booking and its travellers per trip line
    # --- end of line extensions ----------------------------------------------------------------
    try:
        stock_reserve(items=lines, reference=str(order.public_id), reason=_("Commande passée"))
    except OutOfStock as exc:
        raise OutOfStockError(exc.message) from exc
    # Lines that are more than goods: a subscription's first term, or the term it renews.
    subscriptions_create_for_order(order=order)
    _event(order=order, to_status=OrderStatus.PENDING_PAYMENT, actor=user, label=email)
    order_id = order.pk
    emails.order_mail_queue(kind="confirmation", order_id=order_id)
    return order


def order_remember_in_session(request, order: Order) -> None:
    """Let this browser (a guest) see the order: its public id goes into the session."""
    ids = list(request.session.get("orders", []))
    public_id = str(order.public_id)
    if public_id not in ids:
        ids.append(public_id)
        request.session["orders"] = ids[-50:]


def order_payment_window_extend(*, order: Order, until: dt.datetime) -> None:
    Order.objects.filter(pk=order.pk, status=OrderStatus.PENDING_PAYMENT).update(expires_at=until)


# --- Order-level transitions -------------------------------------------------------------------


def _lines_of(order_id: int, seller_order_ids=None) -> list[tuple[int, int]]:
    qs = OrderLine.objects.filter(order_id=order_id, offer__isnull=False)
    if seller_order_ids is not None:
        qs = qs.filter(seller_order_id__in=seller_order_ids)
    return list(qs.values_list("offer_id", "quantity"))


def order_commissions_freeze(*, order: Order) -> None:
    """Freeze on each line what the money flows need, as it is when the order is paid: the
    product's category, the commission of a third-party seller's line (rule by storefront and
    category, `galerie.sellers.commissions`) and the operator's purchase cost of its own lines.
    A line frozen once is never recomputed (a later rule change leaves paid orders alone)."""
    lines = list(
        OrderLine.objects.filter(
            order_id=order.pk, category__isnull=True, commission_amount__isnull=True
        ).select_related("seller_order__seller", "product__category", "offer", "booking")
    )
    rules: dict[int | None, object] = {}
    for line in lines:
        category = line.product.category if line.product_id else None
        line.category = category
        if line.seller_order.seller.is_operator:
            booking = getattr(line, "booking", None)
            if booking is not None:
                # A trip's cost is frozen whole (ledger.postings.line_purchase_cost).
                line.purchase_cost_total = booking.purchase_cost
            else:
                line.purchase_cost = line.offer.purchase_cost if line.offer_id else None
            continue
        key = category.pk if category else None
        if key not in rules:
            rules[key] = (
                commission_rule_for(storefront_id=order.storefront_id, category=category)
                if category
                else None
            )
        commission = commission_compute(line_total=line.line_total, rule=rules[key])
        line.commission_rate = commission.rate
        line.commission_fixed_fee = commission.fixed_fee
        line.commission_amount = commission.amount
    OrderLine.objects.bulk_update(
        lines,
        [
            "category",
            "purchase_cost",
            "purchase_cost_total",
            "commission_rate",
            "commission_fixed_fee",
            "commission_amount",
        ],
    )


@transaction.atomic
def order_mark_paid(*, order: Order, actor=None, note: str = "", payment=None) -> Order:
    """Payment captured: the order and all its seller orders become paid; sellers are told.
    Commissions are frozen on the lines; with the captured `payment`, its entries are posted to
    the ledger in this transaction (sale, provider fee, cost of the operator's goods)."""
    updated = Order.objects.filter(pk=order.pk, status=OrderStatus.PENDING_PAYMENT).update(
        status=OrderStatus.PAID, paid_at=clock.now(), expires_at=None
    )
    if updated != 1:
        order.refresh_from_db()
        raise InvalidTransition(
            _("La commande %(n)s ne peut pas être marquée payée (statut : %(s)s).")
            % {"n": order.number, "s": order.get_status_display()}
        )
    SellerOrder.objects.filter(order=order, status=S.PENDING_PAYMENT).update(status=S.PAID)
    # --- Line extensions -------------------------------------------------------------------------
    bookings_confirm(order=order)  # travel
    # --- end of line extensions ----------------------------------------------------------------
    _event(
        order=order,
        from_status=OrderStatus.PENDING_PAYMENT,
        to_status=OrderStatus.PAID,
        actor=actor,
        label="paiement",
        note=note,
    )
    order_commissions_freeze(order=order)
    subscriptions_on_order_paid(order=order)
    order.refresh_from_db()
    if payment is not None:
        order_capture_post(order=order, payment=payment)
    emails.order_mail_queue(kind="paid", order_id=order.pk)
    return order


def _order_close(*, order: Order, reason: str, kind: str, actor, label: str) -> Order:
    """Cancel a pending or paid order and give its stock back (caller checks it's allowed)."""
    now = clock.now()
    previous = order.status
    updated = Order.objects.filter(
        pk=order.pk, status__in=[OrderStatus.PENDING_PAYMENT, OrderStatus.PAID]
    ).update(
        status=OrderStatus.CANCELLED, cancelled_at=now, cancel_reason=reason[:200], expires_at=None
    )
    if updated != 1:
        raise InvalidTransition(_("La commande %(n)s est déjà annulée.") % {"n": order.number})
    open_ids = list(
        SellerOrder.objects.filter(order=order, status__in=OPEN_SELLER_STATUSES).values_list(
            "pk", flat=True
        )
    )
    SellerOrder.objects.filter(pk__in=open_ids).update(status=S.CANCELLED, cancelled_at=now)
    stock_release(
        items=_lines_of(order.pk, open_ids),
        reference=str(order.public_id),
        reason=reason,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # --- Line extensions (the seats came back with the stock release above) -------------------
    bookings_cancel_for_order(order=order)  # travel
    # --- end of line extensions ----------------------------------------------------------------
    _event(
        order=order,
        from_status=previous,
        to_status=OrderStatus.CANCELLED,
        actor=actor,
        label=label,
        note=reason,
    )
    order.refresh_from_db()
    subscriptions_on_order_closed(order=order)
    return order


@transaction.atomic
def order_payment_failed(*, order: Order, reason: str) -> Order:
    """The payment was refused: the order is cancelled and its reserved stock released."""
    order = order_lock(order.pk)
    if order.status != OrderStatus.PENDING_PAYMENT:
        return order
    return _order_close(
        order=order,
        reason=_("Paiement refusé : %(r)s") % {"r": reason},
        kind=MovementKind.RELEASE,
        actor=None,
        label="paiement",
    )


# --- Seller-order transitions ------------------------------------------------------------------


def _so_transition(
    seller_order: SellerOrder, *, sources, target, actor, note="", **fields
) -> SellerOrder:
    previous = seller_order.status
    updated = SellerOrder.objects.filter(pk=seller_order.pk, status__in=sources).update(
        status=target, **fields
    )
    if updated != 1:
        seller_order.refresh_from_db()
        raise InvalidTransition(
            _("Passage impossible de « %(a)s » à « %(b)s ».")
            % {"a": seller_order.get_status_display(), "b": SellerOrderStatus(target).label}
        )
    _event(
        order=seller_order.order,
        seller_order=seller_order,
        from_status=previous,
        to_status=target,
        actor=actor,
        label="vendeur",
        note=note,
    )
    seller_order.refresh_from_db()
    return seller_order


@transaction.atomic
def seller_order_accept(*, seller_order: SellerOrder, actor=None) -> SellerOrder:
    seller_order = seller_order_lock(seller_order.pk)
    return _so_transition(
        seller_order, sources=[S.PAID], target=S.ACCEPTED, actor=actor, accepted_at=clock.now()
    )


@transaction.atomic
def seller_order_ship(
    *, seller_order: SellerOrder, carrier: str, tracking_number: str, actor=None
) -> SellerOrder:
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier:
        raise OrderError(_("Indiquez le transporteur."), code="carrier_required", field="carrier")
    if not tracking_number or len(tracking_number) > 100:
        raise OrderError(
            _("Indiquez un numéro de suivi (100 caractères au plus)."),
            code="tracking_required",
            field="tracking_number",
        )
    seller_order = seller_order_lock(seller_order.pk)
    seller_order = _so_transition(
        seller_order,
        sources=[S.ACCEPTED],
        target=S.SHIPPED,
        actor=actor,
        note=f"{carrier} {tracking_number}",
        carrier=carrier[:100],
        tracking_number=tracking_number,
        shipped_at=clock.now(),
    )
    stock_ship(
        items=_lines_of(seller_order.order_id, [seller_order.pk]),
        reference=str(seller_order.order.public_id),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    seller_order_parcel_post(seller_order=seller_order)
    transaction.on_commit(lambda: emails.seller_order_status_send(seller_order.pk), robust=True)
    return seller_order


@transaction.atomic
def seller_order_deliver(*, seller_order: SellerOrder, actor=None) -> SellerOrder:
    seller_order = seller_order_lock(seller_order.pk)
    return _so_transition(
        seller_order,
        sources=[S.SHIPPED],
        target=S.DELIVERED,
        actor=actor,
        delivered_at=clock.now(),
    )

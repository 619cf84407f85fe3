"""Cancelling, expiring and refunding orders: the order transitions that void payments or give
money back. They need both apps, so they live here, above orders (payments depends on orders'
payment transitions; orders does not import payments).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.inventory.models import MovementKind
from galerie.inventory.services import stock_release
from galerie.ledger.postings import order_capture_posted, refund_plan
from galerie.orders import emails
from galerie.orders.errors import IdempotencyConflict, InvalidTransition, RefundError
from galerie.orders.locks import order_lock, seller_order_lock
from galerie.orders.models import Order, OrderLine, OrderStatus, SellerOrder, SellerOrderStatus
from galerie.orders.services import (
    _event,
    _lines_of,
    _order_close,
    _request_hash,
    _so_transition,
)
from galerie.payments.models import Refund
from galerie.payments.services import payment_refund, payments_void_open
from galerie.subscriptions.services import subscriptions_on_order_closed

S = SellerOrderStatus


@transaction.atomic
def order_expire(*, order: Order, now: dt.datetime | None = None) -> bool:
    """Cancel one unpaid order past its payment deadline; False if it is no longer expirable."""
    now = now or clock.now()
    order = order_lock(order.pk)
    if (
        order.status != OrderStatus.PENDING_PAYMENT
        or not order.expires_at
        or order.expires_at > now
    ):
        return False
    _order_close(
        order=order,
        reason=_("Commande non payée dans les délais"),
        kind=MovementKind.RELEASE,
        actor=None,
        label="expiration",
    )
    payments_void_open(order=order)
    return True


def orders_release_expired(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Expire every unpaid order past its deadline; returns how many were released."""
    now = now or clock.now()
    ids = list(
        Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, expires_at__lt=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if order_expire(order=Order(pk=pk), now=now))


@transaction.atomic
def order_cancel(*, order: Order, actor=None, reason: str = "") -> Order:
    """Cancel the whole order before anything shipped; a paid order is refunded in full."""
    order = order_lock(order.pk)
    if order.status == OrderStatus.CANCELLED:
        raise InvalidTransition(_("La commande %(n)s est déjà annulée.") % {"n": order.number})
    if SellerOrder.objects.filter(order=order, status__in=[S.SHIPPED, S.DELIVERED]).exists():
        raise InvalidTransition(
            _("Une partie de la commande est déjà expédiée : annulez les autres colis un par un.")
        )
    was_paid = order.status == OrderStatus.PAID
    order = _order_close(
        order=order,
        reason=reason or _("Annulée"),
        kind=MovementKind.CANCEL,
        actor=actor,
        label="client",
    )
    payments_void_open(order=order)
    if was_paid and order.refunded_total < order.total:
        order_refund(
            order=order,
            idempotency_key=f"cancel-order-{order.pk}",
            actor=actor,
            reason=_("Annulation de la commande"),
        )
    return order


@transaction.atomic
def seller_order_cancel(*, seller_order: SellerOrder, actor=None, reason: str = "") -> SellerOrder:
    """One seller cancels its part of a paid order before shipping: stock back, part refunded.

    An unpaid order is cancelled whole (order_cancel). When the last open part is cancelled
    the order itself becomes cancelled.
    """
    seller_order = seller_order_lock(seller_order.pk)
    order = seller_order.order
    if order.status != OrderStatus.PAID:
        raise InvalidTransition(
            _("Seule une commande payée peut être annulée vendeur par vendeur.")
        )
    seller_order = _so_transition(
        seller_order,
        sources=[S.PAID, S.ACCEPTED],
        target=S.CANCELLED,
        actor=actor,
        note=reason,
        cancelled_at=clock.now(),
    )
    stock_release(
        items=_lines_of(order.pk, [seller_order.pk]),
        reference=str(order.public_id),
        reason=reason or _("Annulation vendeur"),
        kind=MovementKind.CANCEL,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    subscriptions_on_order_closed(order=order)
    refundable = {
        line.pk: line.quantity - line.refunded_quantity
        for line in seller_order.lines.all()
        if line.quantity > line.refunded_quantity
    }
    if refundable:
        order_refund(
            order=order,
            lines=refundable,
            delivery_for=[seller_order.pk],
            idempotency_key=f"cancel-seller-order-{seller_order.pk}",
            actor=actor,
            reason=reason or _("Annulation vendeur"),
        )
    if not SellerOrder.objects.filter(order=order).exclude(status=S.CANCELLED).exists():
        Order.objects.filter(pk=order.pk).update(
            status=OrderStatus.CANCELLED, cancelled_at=clock.now(), cancel_reason=reason[:200]
        )
        _event(
            order=order,
            from_status=OrderStatus.PAID,
            to_status=OrderStatus.CANCELLED,
            actor=actor,
            label="vendeur",
            note=reason,
        )
    transaction.on_commit(lambda: emails.seller_order_status_send(seller_order.pk), robust=True)
    return seller_order


# --- Refunds -----------------------------------------------------------------------------------


@transaction.atomic
def order_refund(
    *,
    order: Order,
    idempotency_key: str,
    lines: dict[int, int] | None = None,
    delivery_for: list[int] | None = None,
    actor=None,
    reason: str = "",
):
    """Refund a paid order in full (`lines` None) or per line ({order line id: quantity}).

    `delivery_for` lists seller-order ids whose delivery fee is refunded too (a full refund
    always includes delivery). Idempotent by key: same key and same body → the first Refund;
    same key, different body → IdempotencyConflict. Returns the payments Refund.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 128:
        raise RefundError(_("Une clé d'idempotence (1 à 128 caractères) est obligatoire."))
    order = order_lock(order.pk)
    body = _request_hash(
        order=order.pk,
        lines=sorted((lines or {}).items()) if lines is not None else None,
        delivery=sorted(delivery_for or []),
    )
    existing = Refund.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.request_hash != body or existing.order_id != order.pk:
            raise IdempotencyConflict(
                _("Cette clé d'idempotence a déjà servi pour un autre remboursement.")
            )
        return existing
    if order.paid_at is None:
        raise RefundError(_("Une commande non payée ne peut pas être remboursée."))
    remaining = order.total - order.refunded_total
    plan = None
    if lines is None:
        plan = refund_plan(order=order, quantities=None)
        amount = remaining
        OrderLine.objects.filter(order=order).update(refunded_quantity=F("quantity"))
    else:
        if not lines:
            raise RefundError(_("Choisissez au moins une ligne à rembourser."))
        amount = Decimal("0.00")
        own = {line.pk: line for line in OrderLine.objects.filter(order=order, pk__in=lines)}
        for line_id, quantity in sorted(lines.items()):
            line = own.get(int(line_id))
            if line is None:
                raise RefundError(_("Ligne %(id)s inconnue dans cette commande.") % {"id": line_id})
            if not isinstance(quantity, int) or quantity <= 0:
                raise RefundError(_("La quantité à rembourser doit être un entier positif."))
            if quantity > line.quantity - line.refunded_quantity:
                raise RefundError(
                    _("« %(t)s » : %(n)d exemplaire(s) au plus restent à rembourser.")
                    % {"t": line.title, "n": line.quantity - line.refunded_quantity}
                )
            amount += line.unit_price * quantity
        plan = refund_plan(
            order=order,
            quantities={int(k): v for k, v in lines.items()},
            delivery_for=delivery_for or (),
        )
        for line_id, quantity in sorted(lines.items()):
            OrderLine.objects.filter(pk=int(line_id)).update(
                refunded_quantity=F("refunded_quantity") + quantity
            )
        for seller_order in SellerOrder.objects.filter(order=order, pk__in=delivery_for or []):
            amount += seller_order.delivery_fee
        amount = min(amount, remaining)
    if plan.splits:
        # The ledger knows this order's sale: refund exactly what its slices still hold.
        amount = plan.amount
        for seller_order_id, fee in plan.delivery.items():
            SellerOrder.objects.filter(pk=seller_order_id).update(
                delivery_refunded=F("delivery_refunded") + fee
            )
    elif order_capture_posted(order_id=order.pk):
        amount = Decimal("0.00")  # the ledger holds nothing more of what was asked: refused below
    else:
        plan = None  # paid before the ledger existed: nothing to give back in it
    if amount <= 0:
        raise RefundError(_("Cette commande est déjà entièrement remboursée."))
    refund = payment_refund(
        order=order,
        amount=amount,
        idempotency_key=key,
        request_hash=body,
        lines=lines,
        reason=reason,
        actor=actor,
        plan=plan,
    )
    Order.objects.filter(pk=order.pk).update(refunded_total=F("refunded_total") + amount)
    _event(
        order=order,
        from_status=order.status,
        to_status=order.status,
        actor=actor,
        label="remboursement",
        note=_("Remboursement de %(a)s €") % {"a": amount} + (f" — {reason}" if reason else ""),
    )
    return refund

"""A customer cancels a paid trip: the package's fee schedule applies, the rest is refunded.

It moves money, releases seats and closes order parts, so it sits here with the other refunds.

What the ledger holds afterwards ("both parts"): the refund entry (VE, `payment_refund`, like every
refund) gives back the refunded part of the trip's sale, with its pro-rata share of the sale's
output VAT (operator) or of the operator's commission and its VAT (third-party seller); the
operator's purchase cost of that part is given back too (OD, 401/607). What stays is the fee: the
same fraction of the sale, still in the seller's revenue — 707000 and its VAT for the operator,
the seller's payable and the operator's commission on it for a third-party seller — with the same
fraction of the purchase cost. So the ledger balances to the cent, economics shows the fee as
revenue of the trip's category, and a package sold under the travel agents' margin scheme keeps
its fee under that scheme: the fee's VAT is the margin-scheme VAT of the sale pro rata (the fee
carries the package's margin rate; no separate VAT line appears on the customer's documents).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.core.money import format_money
from galerie.inventory.models import MovementKind
from galerie.inventory.services import stock_release
from galerie.invoicing.services import credit_notes_issue_for_refund
from galerie.ledger.postings import (
    line_cost_back_post,
    line_partial_refund_plan,
    order_capture_posted,
)
from galerie.orders.errors import IdempotencyConflict
from galerie.orders.locks import order_lock
from galerie.orders.models import Order, OrderLine, OrderStatus, SellerOrder, SellerOrderStatus
from galerie.orders.services import _event, _request_hash, _so_transition
from galerie.payments.models import Refund
from galerie.payments.services import payment_refund
from galerie.travel.errors import (
    BookingAlreadyCancelled,
    BookingNotPaid,
    DeparturePassed,
    TravelError,
)
from galerie.travel.locks import booking_lock
from galerie.travel.models import Booking, BookingStatus
from galerie.travel.selectors import booking_cancellation_quote

S = SellerOrderStatus


@dataclass(frozen=True)
class BookingCancellation:
    booking: Booking
    percent: int
    fee: Decimal
    refunded: Decimal
    refund: Refund | None
    # True when this key had already cancelled the booking: nothing was done by this call.
    replayed: bool


def _key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key or len(key) > 128:
        raise TravelError(
            _("Une clé d'idempotence (1 à 128 caractères) est obligatoire."),
            code="idempotency_key_required",
        )
    return key


def _replay(booking: Booking, refund: Refund | None) -> BookingCancellation:
    on = clock.localdate(booking.cancelled_at) if booking.cancelled_at else None
    return BookingCancellation(
        booking=booking,
        percent=booking_cancellation_quote(booking=booking, on=on).percent,
        fee=booking.cancellation_fee,
        refunded=refund.amount if refund else Decimal("0.00"),
        refund=refund,
        replayed=True,
    )


@transaction.atomic
def travel_booking_cancel(
    *, booking: Booking, actor=None, idempotency_key: str, on: dt.date | None = None
) -> BookingCancellation:
    """Cancel a paid booking on day `on` (today by default) under its package's fee schedule.

    Locks the order, then the booking, then the seats; keeps the fee, refunds the rest on the
    order's captured payment (idempotent by key: the same key twice refunds once and returns the
    first outcome, replayed; a key already used for another refund: IdempotencyConflict), puts
    the seats back on sale, and marks the booking cancelled with its fee. The seller order is
    cancelled when nothing else of it remains open, and the order when no seller order does.
    Errors: BookingNotPaid, BookingAlreadyCancelled, DeparturePassed (from the day of departure).
    Whether the booking belongs to the customer asking is the caller's check (the pages and the
    API find it among the visitor's orders only).
    A fee of 100 % (no tier reaches the last days) cancels without a refund; such a
    cancellation is not replayed by key (a second call answers BookingAlreadyCancelled).
    """
    key = _key(idempotency_key)
    line = OrderLine.objects.only("order_id").get(pk=booking.order_line_id)
    order = order_lock(line.order_id)
    booking = booking_lock(booking.pk)
    line = booking.order_line
    body = _request_hash(booking=booking.pk, cancel="travel")
    existing = Refund.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.request_hash != body or existing.order_id != order.pk:
            raise IdempotencyConflict(
                _("Cette clé d'idempotence a déjà servi pour un autre remboursement.")
            )
        return _replay(booking, existing)
    if booking.status == BookingStatus.CANCELLED:
        raise BookingAlreadyCancelled(_("Ce voyage est déjà annulé."))
    if order.status != OrderStatus.PAID or order.paid_at is None:
        raise BookingNotPaid(_("Seul un voyage payé peut être annulé selon le barème."))
    if line.refunded_quantity:
        # Refunded by hand already (the operator's refund by line): the schedule no longer
        # applies to what is left, the operator settles the rest.
        raise BookingAlreadyCancelled(
            _("Ce voyage a déjà été remboursé : il ne peut plus être annulé selon le barème.")
        )
    quote = booking_cancellation_quote(booking=booking, on=on or clock.localdate())
    if not quote.cancellable:
        raise DeparturePassed(
            _("Le départ a eu lieu le %(d)s : ce voyage ne peut plus être annulé.")
            % {"d": booking.departure.starts_on.strftime("%d/%m/%Y")}
        )
    now = clock.now()
    reason = _("Annulation du voyage : frais de %(p)d %% (%(fee)s) retenus") % {
        "p": quote.percent,
        "fee": format_money(quote.fee),
    }

    # Seats and statuses first: the ledger is posted last (its lock is the last one taken).
    stock_release(
        items=[(line.offer_id, line.quantity)] if line.offer_id else [],
        reference=str(order.public_id),
        reason=_("Annulation du voyage par le client (réservation %(id)s)") % {"id": booking.pk},
        kind=MovementKind.CANCEL,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Booking.objects.filter(pk=booking.pk).update(
        status=BookingStatus.CANCELLED, cancelled_at=now, cancellation_fee=quote.fee
    )
    _parts_close(order=order, line=line, actor=actor, reason=reason, now=now)

    refund = None
    refunded = Decimal("0.00")
    if quote.refund > 0:
        plan = line_partial_refund_plan(order=order, line=line, amount=quote.refund)
        amount = quote.refund
        if plan.splits:
            amount = plan.amount
        elif order_capture_posted(order_id=order.pk):
            plan = None  # the ledger holds nothing more of this line: nothing is left to give
            amount = Decimal("0.00")
        else:
            plan = None  # paid before the ledger existed: nothing to give back in it
        if amount > 0:
            # Before the ledger posts, after which no other lock may be taken.
            credit_notes_issue_for_refund(
                order=order,
                reference=f"refund:{key}",
                quantities={},
                amounts={line.pk: amount},
                reason=reason,
            )
            refund = payment_refund(
                order=order,
                amount=amount,
                idempotency_key=key,
                request_hash=body,
                lines=None,
                reason=reason,
                actor=actor,
                plan=plan,
            )
            if plan is not None:
                line_cost_back_post(
                    order=order, line=line, refunded=amount, key=f"cost-back:{refund.pk}"
                )
            refunded = amount
            Order.objects.filter(pk=order.pk).update(refunded_total=F("refunded_total") + amount)
    OrderLine.objects.filter(pk=line.pk).update(refunded_quantity=F("quantity"))
    _event(
        order=order,
        from_status=order.status,
        to_status=Order.objects.values_list("status", flat=True).get(pk=order.pk),
        actor=actor,
        label="annulation voyage",
        note=reason + (" — " + _("remboursement de %(a)s €") % {"a": refunded} if refunded else ""),
    )
    booking.refresh_from_db()
    return BookingCancellation(
        booking=booking,
        percent=quote.percent,
        fee=quote.fee,
        refunded=refunded,
        refund=refund,
        replayed=False,
    )


def _parts_close(*, order: Order, line: OrderLine, actor, reason: str, now) -> None:
    """The seller order is cancelled when every line of it is a cancelled trip (or refunded
    already); the order is cancelled when every seller order is."""
    seller_order = SellerOrder.objects.select_for_update().get(pk=line.seller_order_id)
    others_open = (
        OrderLine.objects.filter(
            seller_order_id=seller_order.pk, refunded_quantity__lt=F("quantity")
        )
        .exclude(pk=line.pk)
        .exclude(booking__status=BookingStatus.CANCELLED)
        .exists()
    )
    if others_open or seller_order.status not in (S.PAID, S.ACCEPTED):
        return
    _so_transition(
        seller_order,
        sources=[S.PAID, S.ACCEPTED],
        target=S.CANCELLED,
        actor=actor,
        note=reason,
        cancelled_at=now,
    )
    if not SellerOrder.objects.filter(order=order).exclude(status=S.CANCELLED).exists():
        Order.objects.filter(pk=order.pk).update(
            status=OrderStatus.CANCELLED, cancelled_at=now, cancel_reason=reason[:200]
        )

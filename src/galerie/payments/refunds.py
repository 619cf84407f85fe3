"""Cancelling, expiring and refunding orders: the order transitions that void payments or give
money back. They need both apps, so they live here, above orders (payments depends on orders'
payment transitions; orders does not import payments).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.inventory.models import MovementKind
from galerie.inventory.services import stock_release
from galerie.invoicing.services import credit_notes_issue_for_refund
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
from galerie.subscriptions import emails as subscription_emails
from galerie.subscriptions.errors import NotWithdrawable
from galerie.subscriptions.locks import subscription_lock
from galerie.subscriptions.models import (
    FulfilmentStatus,
    IssueFulfilment,
    Subscription,
    SubscriptionTerm,
    TermStatus,
)
from galerie.subscriptions.models import SubscriptionStatus as SubStatus
from galerie.subscriptions.selectors import (
    subscription_late_termination_quote,
    subscription_withdrawal_quote,
)
from galerie.subscriptions.services import subscription_terminate, subscriptions_on_order_closed

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
def order_cancel(*, order: Order, actor=None, reason: str = "", by_customer: bool = False) -> Order:
    """Cancel the whole order before anything shipped; a paid order is refunded in full.

    `by_customer`: the customer asks (their order page). A paid trip is then cancelled under its
    fee schedule (travel_booking_cancel) and a paid subscription withdrawn pro rata of the issues
    served (subscription_withdraw), never refunded whole here; the operator may still cancel
    them in full (a trip it cannot run, a publication that stopped)."""
    order = order_lock(order.pk)
    if order.status == OrderStatus.CANCELLED:
        raise InvalidTransition(_("La commande %(n)s est déjà annulée.") % {"n": order.number})
    if (
        by_customer
        and order.status == OrderStatus.PAID
        and order.lines.filter(
            Q(booking__isnull=False) | Q(subscription_term__isnull=False)
        ).exists()
    ):
        raise InvalidTransition(
            _(
                "Cette commande contient un voyage ou un abonnement : annulez le voyage selon "
                "son barème, ou exercez votre droit de rétractation sur l'abonnement, depuis "
                "cette page."
            )
        )
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
    line_amounts: dict[int, Decimal] | None = None,
):
    """Refund a paid order in full (`lines` and `line_amounts` None) or per line ({order line
    id: quantity}), or part of a line's price (`line_amounts`, {order line id: amount}: a
    subscription withdrawn after some issues were delivered); a line refunded by amount is
    closed (nothing more of it is refundable per line).

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
        **({"amounts": sorted(line_amounts.items())} if line_amounts is not None else {}),
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
    if lines is None and line_amounts is None:
        plan = refund_plan(order=order, quantities=None)
        amount = remaining
        OrderLine.objects.filter(order=order).update(refunded_quantity=F("quantity"))
    else:
        lines = lines or {}
        line_amounts = line_amounts or {}
        if not lines and not line_amounts and not delivery_for:
            raise RefundError(_("Choisissez au moins une ligne à rembourser."))
        amount = Decimal("0.00")
        own = {
            line.pk: line
            for line in OrderLine.objects.filter(order=order, pk__in=[*lines, *line_amounts])
        }
        for line_id, part in sorted(line_amounts.items()):
            line = own.get(int(line_id))
            if line is None or int(line_id) in lines:
                raise RefundError(_("Ligne %(id)s inconnue dans cette commande.") % {"id": line_id})
            left = line.line_total - line.unit_price * line.refunded_quantity
            if not isinstance(part, Decimal) or part <= 0 or part > left:
                raise RefundError(
                    _("« %(t)s » : %(a)s € au plus restent à rembourser.")
                    % {"t": line.title, "a": left}
                )
            amount += part
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
            amounts={int(k): v for k, v in line_amounts.items()},
        )
        for line_id, quantity in sorted(lines.items()):
            OrderLine.objects.filter(pk=int(line_id)).update(
                refunded_quantity=F("refunded_quantity") + quantity
            )
        OrderLine.objects.filter(pk__in=[int(k) for k in line_amounts]).update(
            refunded_quantity=F("quantity")
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
    # Invoices are never changed: what is given back is credited on credit notes. Issued before
    # the refund's ledger posts, after which no other lock may be taken (galerie.ledger.services).
    full = lines is None and line_amounts is None
    credit_notes_issue_for_refund(
        order=order,
        reference=f"refund:{key}",
        quantities=None if full else {int(k): v for k, v in (lines or {}).items()},
        amounts=None if full else {int(k): v for k, v in (line_amounts or {}).items()},
        delivery_for=delivery_for or (),
        reason=reason,
    )
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


# --- Withdrawal from a press subscription ------------------------------------------------------


def _term_refund(*, order, quote, idempotency_key: str, actor, reason: str) -> Refund | None:
    """Refund a quote (subscriptions.selectors.RefundQuote) through order_refund: the term's
    unserved part by amount, its delivery fee when quoted. None when the quote is zero."""
    if quote.total <= 0:
        return None
    return order_refund(
        order=order,
        idempotency_key=idempotency_key,
        line_amounts={quote.line_id: quote.amount} if quote.amount > 0 else None,
        lines=None if quote.amount > 0 else {},
        delivery_for=list(quote.delivery_for),
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def subscription_withdraw(
    *, subscription: Subscription, actor, idempotency_key: str, now: dt.datetime | None = None
) -> Refund | None:
    """The customer withdraws from a subscription within 14 days (L221-18; the press exception
    of L221-28, 12° does not cover subscriptions): the issues not yet shipped are cancelled, the
    subscription is cancelled, and what `subscription_withdrawal_quote` states is refunded (the
    first term's price minus the issues already shipped pro rata, with the delivery fee when the
    seller's part of the order is the subscription alone, L221-24): the figure the customer saw
    before confirming. The refund goes through order_refund, so the ledger gives back that share
    of the sale.

    Withdrawing again returns the first refund and changes nothing. After the period:
    WithdrawalPeriodOver. Returns None when nothing is left to refund (every issue shipped)."""
    now = now or clock.now()
    first = SubscriptionTerm.objects.select_related("order_line").get(
        subscription_id=subscription.pk, number=1
    )
    line = first.order_line
    if line is None:
        raise NotWithdrawable(_("Cet abonnement n'a pas de commande à rembourser."))
    # Lock order: the order first, then the subscription (as payment and placement do).
    order = order_lock(line.order_id)
    subscription = subscription_lock(subscription.pk)
    if subscription.withdrawn_at is not None:
        return (
            order.refunds.filter(created_at__gte=subscription.withdrawn_at)
            .order_by("created_at", "pk")
            .first()
        )
    quote = subscription_withdrawal_quote(subscription, now=now)
    IssueFulfilment.objects.filter(
        subscription=subscription, status=FulfilmentStatus.SCHEDULED
    ).update(status=FulfilmentStatus.CANCELLED)
    SubscriptionTerm.objects.filter(pk=first.pk).update(status=TermStatus.REFUNDED)
    Subscription.objects.filter(pk=subscription.pk).update(
        status=SubStatus.CANCELLED, withdrawn_at=now, ended_at=now, auto_renew=False
    )
    refund = _term_refund(
        order=order,
        quote=quote,
        idempotency_key=idempotency_key,
        actor=actor,
        reason=_("Rétractation de l'abonnement"),
    )
    refunded = str(refund.amount if refund else Decimal("0.00"))
    subscription_id = subscription.pk
    shipped, issues = quote.shipped, quote.issues
    transaction.on_commit(
        lambda: subscription_emails.withdrawal_send(
            subscription_id, amount=refunded, shipped=shipped, issues=issues
        ),
        robust=True,
    )
    return refund


# --- Termination, and the renewed term a late notice lets the customer end -------------------


def late_termination_key(*, subscription_id: int, term: int) -> str:
    return f"late-termination-{subscription_id}-{term}"


@transaction.atomic
def subscription_terminate_or_refund(
    *, subscription: Subscription, actor=None, now: dt.datetime | None = None
) -> Refund | None:
    """Termination as every interface runs it (the three clicks, the guest's link, the API, the
    back office).

    Ordinarily subscriptions' `subscription_terminate`: served to the end of the paid term,
    nothing refunded. When the renewal notice of the term now paid went out late (loi Chatel,
    Code de la consommation art. L215-1, al. 2: `subscription_late_termination_quote`), the
    customer may end that renewed term at any time: it ends today (or, not begun yet, the
    subscription ends with the previous term), its issues not shipped are cancelled and its
    price is refunded pro rata of them, the figure the confirmation page showed. Confirmed by
    e-mail either way. Running it twice refunds once (the second call finds the subscription
    no longer active)."""
    now = now or clock.now()
    today = clock.localdate(now)
    quote = subscription_late_termination_quote(subscription, today=today)
    if quote is None:
        subscription_terminate(subscription=subscription, now=now)
        return None
    # Lock order: the order first, then the subscription (as payment and placement do).
    order = order_lock(quote.order_id)
    subscription = subscription_lock(subscription.pk)
    quote = subscription_late_termination_quote(subscription, today=today)
    if quote is None:
        subscription_terminate(subscription=subscription, now=now)
        return None
    term = quote.term
    IssueFulfilment.objects.filter(term=term, status=FulfilmentStatus.SCHEDULED).update(
        status=FulfilmentStatus.CANCELLED
    )
    SubscriptionTerm.objects.filter(pk=term.pk).update(status=TermStatus.REFUNDED)
    changes = {"auto_renew": False, "terminated_at": now, "ends_on": quote.ends_on}
    if quote.ends_now:
        changes |= {"status": SubStatus.ENDED, "ended_at": now}
    else:
        changes["status"] = SubStatus.TERMINATING
    Subscription.objects.filter(pk=subscription.pk, status=SubStatus.ACTIVE).update(**changes)
    refund = _term_refund(
        order=order,
        quote=quote,
        idempotency_key=late_termination_key(subscription_id=subscription.pk, term=term.number),
        actor=actor,
        reason=_("Résiliation après un avis de reconduction tardif (L215-1)"),
    )
    refunded = str(refund.amount if refund else Decimal("0.00"))
    subscription_id = subscription.pk
    transaction.on_commit(
        lambda: subscription_emails.termination_send(subscription_id, refunded=refunded),
        robust=True,
    )
    return refund

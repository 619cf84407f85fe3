"""Every state change of a return: the customer's withdrawal or conformity claim, the seller's
receipt and decision, the operator's mediation. Refunds go through payments.refunds.order_refund,
so the ledger gives back exactly that share of the sale (and stays balanced).

Lock order: the order (orders.locks.order_lock), then the return request, as every refund does.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.orders.locks import order_lock
from galerie.orders.models import Order, OrderLine, SellerOrderStatus
from galerie.orders.selectors import (
    WITHDRAWAL_DAYS,
    line_needs_seal_statement,
    line_withdrawal_refusal,
    withdrawal_deadline,
    withdrawal_open,
)
from galerie.payments.refunds import order_refund
from galerie.returns import emails
from galerie.returns.errors import (
    ReturnError,
    ReturnNotAllowed,
    ReturnQuantity,
    ReturnTransition,
)
from galerie.returns.models import OPEN_STATUSES, ReturnKind, ReturnRequest, ReturnStatus
from galerie.returns.selectors import returns_refund_due

# Code de la consommation, art. L217-3 and L217-7: the seller answers for defects appearing
# within two years of delivery; a defect appearing within 24 months (12 for used goods) is
# presumed to have existed at delivery.
CONFORMITY_MONTHS = 24
PRESUMPTION_MONTHS_NEW = 24
PRESUMPTION_MONTHS_USED = 12
REASON_MAX = ReturnRequest._meta.get_field("reason").max_length
NOTE_MAX = ReturnRequest._meta.get_field("outcome_note").max_length


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the last day of a shorter month: 29 Feb → 28 Feb)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def conformity_until(*, delivered_at: dt.datetime) -> dt.date:
    """The last day a conformity claim may be made (two years from delivery, mall time)."""
    return months_after(timezone.localdate(delivered_at), CONFORMITY_MONTHS)


def presumption_until(*, delivered_at: dt.datetime, condition: str) -> dt.date:
    """The last day a defect is presumed to have existed at delivery: 24 months for new goods,
    12 for used or refurbished ones (the line's condition as sold)."""
    months = PRESUMPTION_MONTHS_NEW if condition == "new" else PRESUMPTION_MONTHS_USED
    return months_after(timezone.localdate(delivered_at), months)


def line_quantity_returnable(line: OrderLine) -> int:
    """Units of the line not refunded yet nor in an open return: what a new request may take."""
    pending = (
        ReturnRequest.objects.filter(line=line, status__in=OPEN_STATUSES).aggregate(
            n=Sum("quantity")
        )["n"]
        or 0
    )
    return max(line.quantity - line.refunded_quantity - pending, 0)


def _line_of(order: Order, line_id: int) -> OrderLine:
    line = (
        OrderLine.objects.select_related(
            "seller_order__seller", "product__product_type", "booking", "subscription_term"
        )
        .filter(order=order, pk=line_id)
        .first()
    )
    if line is None:
        raise ReturnNotAllowed(_("Cette ligne n'appartient pas à la commande."), code="not_found")
    return line


def _delivered_at(line: OrderLine) -> dt.datetime:
    seller_order = line.seller_order
    if seller_order.status != SellerOrderStatus.DELIVERED or seller_order.delivered_at is None:
        raise ReturnNotAllowed(
            _("Cet article n'est pas encore livré : la demande s'ouvre à sa livraison."),
            code="not_delivered",
        )
    return seller_order.delivered_at


def _quantity_check(line: OrderLine, quantity) -> int:
    left = line_quantity_returnable(line)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise ReturnQuantity(_("La quantité doit être un entier positif."), field="quantity")
    if left == 0:
        raise ReturnQuantity(
            _("Tous les exemplaires de « %(t)s » sont déjà retournés ou remboursés.")
            % {"t": line.title},
            field="quantity",
        )
    if quantity > left:
        raise ReturnQuantity(
            _("« %(t)s » : %(n)d exemplaire(s) au plus peuvent être retournés.")
            % {"t": line.title, "n": left},
            field="quantity",
        )
    return quantity


def private_seller_refusal(line: OrderLine, *, kind: str) -> str | None:
    """Why a private seller's line has no withdrawal or legal guarantee, or None for a trader's
    (the Consumer Code binds professionals only)."""
    if line.seller_order.seller.is_trader:
        return None
    if kind == ReturnKind.CONFORMITY:
        return _(
            "Ce vendeur est un particulier : la garantie légale de conformité du Code de la "
            "consommation ne s'applique pas à cet achat."
        )
    return _(
        "Ce vendeur est un particulier : le droit de rétractation du Code de la consommation "
        "ne s'applique pas à cet achat."
    )


def conformity_open(*, delivered_at: dt.datetime, now: dt.datetime) -> bool:
    return timezone.localdate(now) <= conformity_until(delivered_at=delivered_at)


def _private_seller_check(line: OrderLine, *, kind: str) -> None:
    refusal = private_seller_refusal(line, kind=kind)
    if refusal:
        raise ReturnNotAllowed(refusal, code="private_seller")


def _replay(idempotency_key: str, order: Order) -> ReturnRequest | None:
    if not idempotency_key:
        return None
    existing = ReturnRequest.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None and existing.order_id != order.pk:
        raise ReturnTransition(_("Ce formulaire a déjà servi pour une autre commande."))
    return existing


def _clean_key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    return key[:64]


@transaction.atomic
def return_withdrawal_request(
    *,
    order: Order,
    line_id: int,
    quantity: int,
    reason: str = "",
    seal_intact: bool | None = None,
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> ReturnRequest:
    """The customer withdraws from `quantity` units of one delivered line (L221-18): open
    through the last minute of D + 14 in mall time (orders.selectors.withdrawal_open), refused
    for the L221-28 exceptions (line_withdrawal_refusal) and for a private seller. The refund
    (with the delivery fee when the seller's whole part comes back) is due within 14 days; it
    is paid when the seller confirms receipt (return_receive). Acknowledged by e-mail.

    The same form posted twice (same `idempotency_key`) returns the first request."""
    now = now or clock.now()
    key = _clean_key(idempotency_key)
    order = order_lock(order.pk)
    existing = _replay(key, order)
    if existing is not None:
        return existing
    line = _line_of(order, line_id)
    delivered_at = _delivered_at(line)
    _private_seller_check(line, kind=ReturnKind.WITHDRAWAL)
    if line_needs_seal_statement(line) and seal_intact is None:
        raise ReturnNotAllowed(
            _("Indiquez si l'emballage scellé de l'article est intact."),
            code="seal_statement_required",
            field="seal_intact",
        )
    refusal = line_withdrawal_refusal(line, seal_intact=seal_intact)
    if refusal:
        raise ReturnNotAllowed(refusal, code="withdrawal_excluded")
    if not withdrawal_open(delivered_at=delivered_at, now=now):
        raise ReturnNotAllowed(
            _(
                "Le délai de rétractation de 14 jours a pris fin le %(d)s. Un défaut ? La "
                "garantie légale de conformité vous couvre deux ans."
            )
            % {
                "d": timezone.localtime(withdrawal_deadline(delivered_at=delivered_at)).strftime(
                    "%d/%m/%Y à %H:%M"
                )
            },
            code="withdrawal_period_over",
        )
    quantity = _quantity_check(line, quantity)
    request = ReturnRequest.objects.create(
        kind=ReturnKind.WITHDRAWAL,
        order=order,
        seller_order=line.seller_order,
        line=line,
        quantity=quantity,
        reason=(reason or "").strip()[:REASON_MAX],
        seal_intact=seal_intact if line_needs_seal_statement(line) else None,
        requested_at=now,
        refund_due_at=now + dt.timedelta(days=WITHDRAWAL_DAYS),
        idempotency_key=key or None,
    )
    transaction.on_commit(lambda: emails.return_acknowledgement_send(request.pk), robust=True)
    return request


@transaction.atomic
def return_conformity_claim(
    *,
    order: Order,
    line_id: int,
    quantity: int,
    reason: str,
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> ReturnRequest:
    """The customer claims the legal guarantee of conformity (L217-3) for `quantity` units of a
    delivered line: open two years from delivery; whether the defect is presumed to have
    existed at delivery (24 months, 12 for used goods) is stored with the claim. A private
    seller owes no legal guarantee: refused. Routed to the seller, acknowledged by e-mail."""
    now = now or clock.now()
    key = _clean_key(idempotency_key)
    reason = (reason or "").strip()
    order = order_lock(order.pk)
    existing = _replay(key, order)
    if existing is not None:
        return existing
    line = _line_of(order, line_id)
    delivered_at = _delivered_at(line)
    _private_seller_check(line, kind=ReturnKind.CONFORMITY)
    today = timezone.localdate(now)
    if not conformity_open(delivered_at=delivered_at, now=now):
        raise ReturnNotAllowed(
            _("La garantie légale de conformité a pris fin le %(d)s (deux ans après la livraison).")
            % {"d": conformity_until(delivered_at=delivered_at).strftime("%d/%m/%Y")},
            code="conformity_period_over",
        )
    if not reason:
        raise ReturnNotAllowed(
            _("Décrivez le défaut constaté."), code="reason_required", field="reason"
        )
    quantity = _quantity_check(line, quantity)
    until = presumption_until(delivered_at=delivered_at, condition=line.condition)
    request = ReturnRequest.objects.create(
        kind=ReturnKind.CONFORMITY,
        order=order,
        seller_order=line.seller_order,
        line=line,
        quantity=quantity,
        reason=reason[:REASON_MAX],
        requested_at=now,
        presumption_until=until,
        presumption_applies=today <= until,
        idempotency_key=key or None,
    )
    transaction.on_commit(lambda: emails.return_acknowledgement_send(request.pk), robust=True)
    return request


def _locked(request: ReturnRequest) -> tuple[Order, ReturnRequest]:
    order = order_lock(request.order_id)
    request = (
        ReturnRequest.objects.select_for_update()
        .select_related("line", "seller_order__seller", "order")
        .get(pk=request.pk)
    )
    return order, request


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _refund(*, order: Order, request: ReturnRequest, actor) -> None:
    """Refund the request's units through order_refund; the seller's delivery fee too when
    nothing of its part is left unrefunded afterwards (the whole part withdrawn, L221-24)."""
    seller_order = request.seller_order
    lines = list(seller_order.lines.all())
    left_after = sum(line.quantity - line.refunded_quantity for line in lines) - request.quantity
    delivery_for = (
        [seller_order.pk]
        if left_after == 0 and seller_order.delivery_refunded < seller_order.delivery_fee
        else []
    )
    reason = (
        _("Rétractation") if request.kind == ReturnKind.WITHDRAWAL else _("Garantie de conformité")
    )
    refund = order_refund(
        order=order,
        idempotency_key=f"return-{request.pk}",
        lines={request.line_id: request.quantity},
        delivery_for=delivery_for,
        actor=_actor(actor),
        reason=f"{reason} — {request.line.title}"[:200],
    )
    request.refund = refund


@transaction.atomic
def return_receive(*, request: ReturnRequest, actor=None, mediated: bool = False) -> ReturnRequest:
    """The seller (or the operator) confirms the goods came back. A withdrawal is then refunded
    at once (the refund may wait for the goods, L221-24 al. 2); a conformity claim waits for
    the seller's decision (return_resolve)."""
    order, request = _locked(request)
    if request.status != ReturnStatus.REQUESTED:
        raise ReturnTransition(
            _("Ce retour est déjà « %(s)s ».") % {"s": request.get_status_display()}
        )
    now = clock.now()
    request.status, request.received_at = ReturnStatus.RECEIVED, now
    request.mediated = request.mediated or mediated
    if request.kind == ReturnKind.WITHDRAWAL:
        _refund(order=order, request=request, actor=actor)
        request.status, request.closed_at = ReturnStatus.REFUNDED, now
        request.decided_by = _actor(actor)
    request.save()
    if request.status == ReturnStatus.REFUNDED:
        transaction.on_commit(lambda: emails.return_outcome_send(request.pk), robust=True)
    return request


OUTCOMES = {
    "refund": ReturnStatus.REFUNDED,
    "repair": ReturnStatus.REPAIRED,
    "replace": ReturnStatus.REPLACED,
    "refuse": ReturnStatus.REFUSED,
}


@transaction.atomic
def return_resolve(
    *, request: ReturnRequest, outcome: str, note: str = "", actor=None, mediated: bool = False
) -> ReturnRequest:
    """Record the outcome of an open return: `refund` (through order_refund, ledger balanced),
    `repair`, `replace` (a conformity claim only), or `refuse` (a reason is required). The
    operator stepping in as mediator passes `mediated=True`. Closed requests change no more."""
    status = OUTCOMES.get(outcome)
    if status is None:
        raise ReturnError(_("Décision inconnue."), code="return_outcome_invalid", field="outcome")
    note = (note or "").strip()
    if status == ReturnStatus.REFUSED and not note:
        raise ReturnError(_("Indiquez le motif du refus."), code="reason_required", field="note")
    order, request = _locked(request)
    if not request.is_open:
        raise ReturnTransition(
            _("Ce retour est déjà clos (« %(s)s »).") % {"s": request.get_status_display()}
        )
    if request.kind == ReturnKind.WITHDRAWAL and status in (
        ReturnStatus.REPAIRED,
        ReturnStatus.REPLACED,
    ):
        raise ReturnError(
            _("Une rétractation se solde par un remboursement."),
            code="return_outcome_invalid",
            field="outcome",
        )
    if status == ReturnStatus.REFUNDED:
        _refund(order=order, request=request, actor=actor)
    now = clock.now()
    request.status, request.closed_at = status, now
    request.outcome_note = note[:NOTE_MAX]
    request.decided_by = _actor(actor)
    request.mediated = request.mediated or mediated
    request.save()
    transaction.on_commit(lambda: emails.return_outcome_send(request.pk), robust=True)
    return request


def returns_overdue_notify(*, now: dt.datetime | None = None) -> int:
    """E-mail the operator's customer service the withdrawals whose refund falls due within
    3 days or is overdue (returns.selectors.returns_refund_due); returns how many."""
    due = list(returns_refund_due(now=now or clock.now()).values_list("pk", flat=True))
    if due:
        emails.returns_overdue_send(due, now=now or clock.now())
    return len(due)

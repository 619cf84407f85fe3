"""Payment writes: starting a payment, provider webhooks, bank transfers received, refunds.

Idempotency: `payment_start` reuses the order's open payment of the same method (a double
click opens one checkout session); a webhook is applied once per event id (a unique row, and a
conditional status update on the payment); refunds are keyed by `Refund.idempotency_key`.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.ledger.postings import (
    RefundPlan,
    capture_mirror_plan,
    order_capture_post,
    order_refund_post,
)
from galerie.orders.models import Order, OrderStatus
from galerie.orders.services import (
    TRANSFER_TIMEOUT,
    order_commissions_freeze,
    order_mark_paid,
    order_payment_failed,
    order_payment_window_extend,
)
from galerie.payments.errors import OrderNotPayable, PaymentError, UnknownPaymentMethod
from galerie.payments.gateways import gateway_for, payment_methods_available, webhook_sign
from galerie.payments.models import (
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundStatus,
    WebhookEvent,
)

OPEN = (PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION)
FAILURE_LABELS = {
    "card_declined": _("carte refusée"),
    "insufficient_funds": _("provision insuffisante"),
    "authentication_failed": _("authentification 3-D Secure échouée"),
}
_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class PaymentStart:
    payment: Payment
    method: str
    amount: Decimal
    redirect_url: str = ""
    bank_reference: str = ""
    iban: str = ""
    bic: str = ""
    instructions: str = ""


def _bank_details() -> tuple[str, str, str]:
    return (
        getattr(settings, "GALERIE_BANK_IBAN", "FR76 3000 6000 0112 3456 7890 189"),
        getattr(settings, "GALERIE_BANK_BIC", "AGRIFRPPXXX"),
        getattr(settings, "GALERIE_BANK_HOLDER", "Galerie SAS"),
    )


def payment_start_info(payment: Payment, redirect_url: str = "") -> PaymentStart:
    if payment.method == PaymentMethod.TRANSFER:
        iban, bic, holder = _bank_details()
        return PaymentStart(
            payment=payment,
            method=payment.method,
            amount=payment.amount,
            bank_reference=payment.bank_reference,
            iban=iban,
            bic=bic,
            instructions=_(
                "Virez %(amount)s € à %(holder)s (IBAN %(iban)s, BIC %(bic)s) en indiquant la "
                "référence %(ref)s. La commande sera traitée dès réception, sous 7 jours au plus."
            )
            % {
                "amount": payment.amount,
                "holder": holder,
                "iban": iban,
                "bic": bic,
                "ref": payment.bank_reference,
            },
        )
    return PaymentStart(
        payment=payment, method=payment.method, amount=payment.amount, redirect_url=redirect_url
    )


def payment_method_check(method: str) -> None:
    """Raise UnknownPaymentMethod unless a buyer may pay by `method` on this installation."""
    if method not in PaymentMethod.values:
        raise UnknownPaymentMethod(
            _("Moyen de paiement inconnu « %(m)s ».") % {"m": method}, field="method"
        )
    if method not in payment_methods_available():
        raise UnknownPaymentMethod(
            _("Le paiement par carte n'est pas disponible : payez par virement bancaire."),
            field="method",
        )


@transaction.atomic
def payment_start(*, order: Order, method: str, return_url: str) -> PaymentStart:
    """Start paying an order by card (hosted page redirect) or bank transfer (reference).

    Calling it again for the same order and method returns the same open payment; choosing
    the other method voids the open one first.
    """
    payment_method_check(method)
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise OrderNotPayable(
            _("La commande %(n)s n'est pas en attente de paiement (%(s)s).")
            % {"n": order.number, "s": order.get_status_display()}
        )
    gateway = gateway_for(method)
    label = order.storefront.name if order.storefront else "Galerie"
    label = f"{label} — commande {order.number}"
    payment = order.payments.filter(status__in=OPEN, method=method).first()
    if payment is None:
        payments_void_open(order=order)
        token = secrets.token_urlsafe(24)
        payment = Payment.objects.create(
            order=order,
            method=method,
            amount=order.total,
            provider_ref=("cs_" if method == PaymentMethod.CARD else "tr_") + token,
            bank_reference=(
                "GAL" + "".join(secrets.choice(_REF_ALPHABET) for _i in range(8))
                if method == PaymentMethod.TRANSFER
                else ""
            ),
        )
    result = gateway.authorize(payment=payment, return_url=return_url, label=label)
    if method == PaymentMethod.TRANSFER:
        order_payment_window_extend(order=order, until=clock.now() + TRANSFER_TIMEOUT)
    return payment_start_info(payment, result.redirect_url)


def payments_void_open(*, order: Order) -> int:
    """Void the order's open payments (order cancelled, expired, or method changed)."""
    count = 0
    for payment in order.payments.filter(status__in=OPEN):
        if Payment.objects.filter(pk=payment.pk, status__in=OPEN).update(
            status=PaymentStatus.VOIDED
        ):
            gateway_for(payment.method).void(payment=payment)
            count += 1
    return count


# --- Webhooks ----------------------------------------------------------------------------------


def payment_webhook_receive(*, raw_body: bytes, signature: str) -> str:
    """Verify and apply one provider event; returns "processed", "duplicate" or "ignored".

    Raises WebhookRejected (HTTP 400) on a bad signature, a timestamp older than 300 s, or a
    malformed body. The event id is inserted in the same transaction as its effect, so a replay
    (even concurrent) is applied at most once.
    """
    event = gateway_for("card").webhook_parse(raw_body=raw_body, signature=signature)
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(
                event_id=str(event["id"])[:64], type=str(event["type"])[:40], payload=event
            )
            return _webhook_apply(event)
    except IntegrityError:
        if WebhookEvent.objects.filter(event_id=str(event["id"])[:64]).exists():
            return "duplicate"
        raise


def _webhook_apply(event: dict) -> str:
    data = event.get("data") or {}
    payment = (
        Payment.objects.select_related("order")
        .filter(provider_ref=str(data.get("reference", "")), method=PaymentMethod.CARD)
        .first()
    )
    if payment is None:
        return "ignored"
    kind = event["type"]
    # Lock order: the Order row first, then its payment (as payment_start and order_cancel do),
    # so a capture racing a cancellation waits instead of deadlocking.
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    if kind == "charge.requires_action":
        Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
            status=PaymentStatus.REQUIRES_ACTION
        )
        return "processed"
    if kind == "charge.succeeded":
        if Decimal(str(data.get("amount"))) != payment.amount:
            return "ignored"
        # A voided payment can still be captured by the provider (the customer paid while we
        # cancelled): the money is real, so record it and give it back below.
        captured = Payment.objects.filter(
            pk=payment.pk, status__in=[*OPEN, PaymentStatus.VOIDED]
        ).update(status=PaymentStatus.CAPTURED, captured_at=clock.now())
        if not captured:
            return "ignored"
        payment.refresh_from_db()
        if order.status == OrderStatus.PENDING_PAYMENT:
            order_mark_paid(order=order, note=_("Carte bancaire"), payment=payment)
        else:
            # Money arrived for an order cancelled or expired meanwhile: it is real, so it is
            # booked (capture) and given straight back (the capture's mirror).
            order_commissions_freeze(order=order)
            order_capture_post(order=order, payment=payment)
            _refund_execute(
                order=order,
                payment=payment,
                amount=payment.amount,
                idempotency_key=f"orphan-capture-{payment.pk}",
                request_hash="orphan",
                lines=None,
                reason=_("Paiement reçu après annulation de la commande"),
                actor=None,
                plan=capture_mirror_plan(order=order),
            )
        return "processed"
    if kind == "charge.failed":
        code = str(data.get("code") or "card_declined")[:40]
        failed = Payment.objects.filter(pk=payment.pk, status__in=OPEN).update(
            status=PaymentStatus.FAILED, failure_code=code
        )
        if failed:
            order_payment_failed(order=order, reason=str(FAILURE_LABELS.get(code, code)))
        return "processed"
    return "ignored"


def webhook_emit(
    *, event_type: str, reference: str, amount: Decimal, code: str = "", delivery: str | None = None
) -> None:
    """The simulated provider notifies Galerie once the current transaction has committed.

    Mode "inline" (default: works without a worker) delivers right after commit; mode "task"
    queues a django.tasks task, as a real provider's asynchronous delivery would arrive. The mode
    is `delivery` if given, else settings.GALERIE_PAYMENT_WEBHOOKS. A failed
    delivery is logged (robust callback) and leaves the payment pending, as a lost webhook would;
    the unpaid order then expires and its stock is released.
    """
    event = {
        "id": "evt_" + secrets.token_hex(12),
        "type": event_type,
        "created": int(time.time()),
        "data": {"reference": reference, "amount": str(amount), "code": code},
    }
    raw = json.dumps(event, separators=(",", ":"))
    if (delivery or getattr(settings, "GALERIE_PAYMENT_WEBHOOKS", "inline")) == "task":
        from galerie.payments.tasks import webhook_deliver

        transaction.on_commit(lambda: webhook_deliver.enqueue(raw_body=raw), robust=True)
    else:
        transaction.on_commit(lambda: webhook_deliver_now(raw_body=raw), robust=True)


def webhook_deliver_now(*, raw_body: str) -> str:
    body = raw_body.encode()
    return payment_webhook_receive(raw_body=body, signature=webhook_sign(body))


# --- Bank transfer -----------------------------------------------------------------------------


@transaction.atomic
def payment_transfer_mark_received(*, payment: Payment, actor=None) -> Payment:
    """The operator saw the transfer on the bank account: capture it and mark the order paid."""
    if payment.method != PaymentMethod.TRANSFER:
        raise PaymentError(_("Ce paiement n'est pas un virement."), code="not_a_transfer")
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    captured = Payment.objects.filter(pk=payment.pk, status__in=OPEN).update(
        status=PaymentStatus.CAPTURED, captured_at=clock.now()
    )
    if not captured:
        payment.refresh_from_db()
        raise PaymentError(
            _("Ce virement ne peut plus être marqué reçu (%(s)s).")
            % {"s": payment.get_status_display()},
            code="transfer_not_pending",
        )
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise OrderNotPayable(
            _("La commande %(n)s n'attend plus de paiement : remboursez le virement.")
            % {"n": order.number}
        )
    payment.refresh_from_db()
    order_mark_paid(
        order=order,
        actor=actor,
        note=_("Virement reçu (%(r)s)") % {"r": payment.bank_reference},
        payment=payment,
    )
    return payment


# --- Refunds -----------------------------------------------------------------------------------


def payment_refund(
    *,
    order: Order,
    amount: Decimal,
    idempotency_key: str,
    request_hash: str,
    lines: dict | None,
    reason: str = "",
    actor=None,
    plan: RefundPlan | None = None,
) -> Refund:
    """Give `amount` back on the order's captured payment. Call through
    `galerie.payments.refunds.order_refund`, which holds the order lock and checks idempotency and
    amounts; with the ledger's `plan` (galerie.ledger.postings.refund_plan) the refund entry is
    posted in the same transaction."""
    payment = order.payments.filter(status=PaymentStatus.CAPTURED).order_by("pk").first()
    if payment is None:
        raise PaymentError(_("Aucun paiement encaissé à rembourser."), code="no_captured_payment")
    return _refund_execute(
        order=order,
        payment=payment,
        amount=amount,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        lines=lines,
        reason=reason,
        actor=actor,
        plan=plan,
    )


def _refund_execute(
    *, order, payment, amount, idempotency_key, request_hash, lines, reason, actor, plan=None
) -> Refund:
    with transaction.atomic():
        updated = Payment.objects.filter(
            pk=payment.pk, amount__gte=F("refunded_amount") + amount
        ).update(refunded_amount=F("refunded_amount") + amount)
        if updated != 1:
            raise PaymentError(
                _("Montant à rembourser supérieur au montant encaissé."), code="refund_too_large"
            )
        result = gateway_for(payment.method).refund(
            payment=payment, amount=amount, idempotency_key=idempotency_key
        )
        if not result.ok:
            raise PaymentError(_("Le prestataire a refusé le remboursement."), code="refund_failed")
        refund = Refund.objects.create(
            order=order,
            payment=payment,
            amount=amount,
            status=RefundStatus.MANUAL if result.code == "manual" else RefundStatus.SUCCEEDED,
            idempotency_key=idempotency_key,
            request_hash=request_hash,
            lines={str(k): v for k, v in lines.items()} if lines else None,
            reason=reason[:200],
            provider_ref=result.reference,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if plan is not None:
            order_refund_post(order=order, refund=refund, plan=plan)
        return refund

"""Payment writes: starting a payment, provider webhooks, bank transfers received, refunds.

Idempotency: `payment_start` reuses the order's open payment of the same method (a double
click opens one checkout session); a webhook is applied once per event id (a unique row, and a
conditional status update on the payment); refunds are keyed by `Refund.idempotency_key`;
merchant-initiated charges on a saved card by `Payment.idempotency_key`.
"""

from __future__ import annotations

import hashlib
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
from galerie.core.outbox import task_enqueue_on_commit
from galerie.invoicing.services import invoice_issue_for_order
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
from galerie.payments.gateways import (
    GatewayResult,
    gateway_for,
    payment_methods_available,
    webhook_sign,
)
from galerie.payments.models import (
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundStatus,
    SavedCard,
    WebhookEvent,
)
from galerie.subscriptions.models import Subscription, SubscriptionTerm

OPEN = (PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION)
FAILURE_LABELS = {
    "card_declined": _("carte refusée"),
    "insufficient_funds": _("provision insuffisante"),
    "authentication_failed": _("authentification 3-D Secure échouée"),
    "expired_card": _("carte expirée"),
    "card_unknown": _("carte inconnue du prestataire"),
}
# Refusals of a merchant-initiated charge that a later attempt may turn into a payment (the
# renewal's dunning retries these); any other failure code is final for that card.
SOFT_DECLINE_CODES = frozenset({"insufficient_funds"})
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
    order = (
        Order.objects.select_for_update(of=("self",)).select_related("storefront").get(pk=order.pk)
    )
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise OrderNotPayable(
            _("La commande %(n)s n'est pas en attente de paiement (%(s)s).")
            % {"n": order.number, "s": order.get_status_display()}
        )
    gateway = gateway_for(method)
    label = order.storefront.name if order.storefront else "Galerie"
    merchant = label
    label = f"{label} — commande {order.number}"
    # A merchant-initiated charge in flight (idempotency key) is never reused as a session.
    open_payments = list(order.payments.filter(status__in=OPEN))  # newest first
    payment = next(
        (p for p in open_payments if p.method == method and p.idempotency_key is None), None
    )
    if payment is None:
        if open_payments:
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
    result = gateway.authorize(
        payment=payment,
        return_url=return_url,
        label=label,
        save_card_for=merchant if order_renews_by_card(order=order) else "",
    )
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
        paid = _captured_settle(order=order, payment=payment, note=_("Carte bancaire"))
        card = data.get("card")
        if paid and isinstance(card, dict) and order_renews_by_card(order=order):
            saved_card_record(order=order, data=card)
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


def _captured_settle(*, order: Order, payment: Payment, note: str) -> bool:
    """A captured payment pays its order if still pending (True); otherwise the money is real,
    so it is booked (capture) and given straight back (the capture's mirror). Call while
    holding the order's lock."""
    if order.status == OrderStatus.PENDING_PAYMENT:
        # Invoices first: order_mark_paid ends with the ledger posts, after which no other lock
        # may be taken (galerie.ledger.services); the same transaction commits both.
        invoice_issue_for_order(order=order)
        order_mark_paid(order=order, note=note, payment=payment)
        return True
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
    return False


def webhook_emit(
    *,
    event_type: str,
    reference: str,
    amount: Decimal,
    code: str = "",
    card: dict | None = None,
    delivery: str | None = None,
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
    if card:
        event["data"]["card"] = card
    raw = json.dumps(event, separators=(",", ":"))
    if (delivery or getattr(settings, "GALERIE_PAYMENT_WEBHOOKS", "inline")) == "task":
        from galerie.payments.tasks import webhook_deliver

        task_enqueue_on_commit(webhook_deliver, raw_body=raw)
    else:
        transaction.on_commit(lambda: webhook_deliver_now(raw_body=raw), robust=True)


def webhook_deliver_now(*, raw_body: str) -> str:
    body = raw_body.encode()
    return payment_webhook_receive(raw_body=body, signature=webhook_sign(body))


# --- Saved cards and merchant-initiated charges ------------------------------------------------


def order_renews_by_card(*, order: Order) -> bool:
    """The order buys a subscription the customer chose to renew tacitly: its card payment asks
    the provider to keep the card, with the customer's consent."""
    return order.lines.filter(
        offer__subscription_plan__isnull=False, details__auto_renew=True
    ).exists()


def saved_card_record(*, order: Order, data: dict) -> SavedCard | None:
    """The provider kept the card that paid `order` (webhook `data["card"]`): record its
    reference, brand, last four digits and expiry (never the number) for the order's customer,
    and attach it to the subscriptions that order paid. None if the data is malformed."""
    try:
        ref = str(data["id"])[:64]
        last4 = str(data["last4"])
        exp_month, exp_year = int(data["exp_month"]), int(data["exp_year"])
    except (KeyError, TypeError, ValueError):
        return None
    if not ref or not (len(last4) == 4 and last4.isdigit()) or not 1 <= exp_month <= 12:
        return None
    card, _created = SavedCard.objects.get_or_create(
        provider_ref=ref,
        defaults={
            "user": order.user,
            "email": order.email,
            "brand": str(data.get("brand") or "")[:20],
            "last4": last4,
            "exp_month": exp_month,
            "exp_year": exp_year,
        },
    )
    saved_card_attach(order=order, card=card)
    return card


def saved_card_attach(*, order: Order, card: SavedCard) -> int:
    """Renew with `card` the subscriptions whose term `order` pays and that renew tacitly;
    returns how many."""
    paid_by_order = SubscriptionTerm.objects.filter(order_line__order=order).values(
        "subscription_id"
    )
    return Subscription.objects.filter(pk__in=paid_by_order, auto_renew=True).update(
        saved_card=card
    )


@transaction.atomic
def saved_card_deactivate(*, user, card: SavedCard) -> SavedCard:
    """The customer removes a saved card: it is never charged again, and the subscriptions it
    paid renew without a card. The caller checks that `card` belongs to `user`."""
    if card.user_id != getattr(user, "pk", None):
        raise PaymentError(_("Carte introuvable."), code="saved_card_not_found")
    SavedCard.objects.filter(pk=card.pk).update(is_active=False, updated_at=clock.now())
    Subscription.objects.filter(saved_card=card).update(saved_card=None)
    card.refresh_from_db()
    return card


def _mit_provider_ref(idempotency_key: str) -> str:
    # Until the provider answers, the payment is known by a reference derived from the key.
    return "mit_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]


def payment_charge_saved_card(*, order: Order, card: SavedCard, idempotency_key: str) -> Payment:
    """Charge `order` (pending: a renewal order) on the saved `card`, no customer present.

    Success captures the payment and marks the order paid (ledger posted as for a checkout);
    failure leaves the payment failed with its `failure_code` and the order pending: retrying
    (SOFT_DECLINE_CODES) or closing it is the caller's decision. The same `idempotency_key`
    returns the same payment, whatever its outcome, and never charges twice: the key is written
    with the payment before the provider is called, and the provider is called with it too, so
    a run interrupted between the two resumes without a second charge.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 128:
        raise PaymentError(
            _("Une clé d'idempotence (1 à 128 caractères) est obligatoire."),
            code="idempotency_key_required",
        )
    payment = _mit_payment_open(order=order, card=card, key=key)
    if payment.status != PaymentStatus.PENDING:
        return payment
    result = gateway_for(PaymentMethod.CARD).charge_saved(
        card=card, amount=payment.amount, reference=order.number, idempotency_key=key
    )
    return _mit_payment_settle(payment=payment, result=result)


@transaction.atomic
def _mit_payment_open(*, order: Order, card: SavedCard, key: str) -> Payment:
    order = Order.objects.select_for_update().get(pk=order.pk)
    payment = Payment.objects.filter(idempotency_key=key).first()
    if payment is not None:
        if payment.order_id != order.pk:
            raise PaymentError(
                _("Cette clé d'idempotence a déjà servi pour une autre commande."),
                code="idempotency_conflict",
            )
        return payment
    if not card.is_active:
        raise PaymentError(_("Cette carte a été supprimée par le client."), code="card_inactive")
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise OrderNotPayable(
            _("La commande %(n)s n'est pas en attente de paiement (%(s)s).")
            % {"n": order.number, "s": order.get_status_display()}
        )
    return Payment.objects.create(
        order=order,
        method=PaymentMethod.CARD,
        amount=order.total,
        provider_ref=_mit_provider_ref(key),
        saved_card=card,
        idempotency_key=key,
    )


@transaction.atomic
def _mit_payment_settle(*, payment: Payment, result: GatewayResult) -> Payment:
    # Lock order as everywhere: the Order row, then its payment.
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    fields = {"provider_ref": result.reference} if result.reference else {}
    if result.ok:
        # Voided meanwhile (the order expired while the provider answered): the money is real,
        # so it is captured all the same and given back by _captured_settle.
        captured = Payment.objects.filter(
            pk=payment.pk, status__in=[PaymentStatus.PENDING, PaymentStatus.VOIDED]
        ).update(status=PaymentStatus.CAPTURED, captured_at=clock.now(), **fields)
        payment.refresh_from_db()
        if captured:
            note = _("Carte enregistrée •••• %(last4)s") % {"last4": payment.saved_card.last4}
            _captured_settle(order=order, payment=payment, note=note)
        return payment
    Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
        status=PaymentStatus.FAILED, failure_code=(result.code or "card_declined")[:40], **fields
    )
    payment.refresh_from_db()
    return payment


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
    invoice_issue_for_order(order=order)  # before the ledger posts: see _captured_settle
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

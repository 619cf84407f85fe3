"""The payment gateway interface and the simulated hosted card gateway.

A gateway authorises (opens a hosted checkout session), captures, refunds, voids, and turns the
provider's signed webhooks into verified events. The simulated provider behaves like a real one:
the card is typed on its hosted page under /paiement/passerelle/…, it decides from test card
numbers, then tells Galerie the outcome with a webhook signed HMAC-SHA256 over
"<timestamp>.<raw body>" (header `Galerie-Signature: t=<unix time>,v1=<hex digest>`).

A checkout session may ask the provider to keep the card (a subscription that renews itself):
the customer consents on the hosted page, and the webhook then carries the kept card's
reference, brand, last four digits and expiry. `charge_saved` charges such a card later with no
customer present (merchant-initiated, no 3-D Secure), keyed by the caller's idempotency key.
The test cards and what their later charges answer are listed in docs/payments.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.core.secret_files import secret_file_read_or_create
from galerie.payments.errors import WebhookRejected
from galerie.payments.models import Payment, SavedCard, SimulatedCard, SimulatedCharge

SIGNATURE_HEADER = "Galerie-Signature"
WEBHOOK_TOLERANCE_SECONDS = 300

# Test cards of the simulated provider: number → outcome.
CARD_SUCCESS = "4242424242424242"
CARD_DECLINED = "4000000000000002"
CARD_INSUFFICIENT_FUNDS = "4000000000009995"
CARD_3DS = "4000000000003220"
# Cards that pay at checkout like 4242… but answer differently when charged later, with no
# customer present (merchant-initiated charges on a kept card: subscription renewals).
CARD_RENEWAL_DECLINED = "4000000000000341"
CARD_RENEWAL_INSUFFICIENT_FUNDS = "4000000000000358"
CARD_RENEWAL_RECOVERS = "4000000000000366"
TEST_CARDS = {
    CARD_SUCCESS: "succeeded",
    CARD_DECLINED: "card_declined",
    CARD_INSUFFICIENT_FUNDS: "insufficient_funds",
    CARD_3DS: "challenge",
    CARD_RENEWAL_DECLINED: "succeeded",
    CARD_RENEWAL_INSUFFICIENT_FUNDS: "succeeded",
    CARD_RENEWAL_RECOVERS: "succeeded",
}
# Merchant-initiated charges on a kept card: test card → behaviour (any other card: succeeded;
# a card whose expiry month is over at the charge date: expired_card, whatever its number).
MIT_RECOVERS = "recovers"
MIT_CARDS = {
    CARD_RENEWAL_DECLINED: "card_declined",
    CARD_RENEWAL_INSUFFICIENT_FUNDS: "insufficient_funds",
    CARD_RENEWAL_RECOVERS: MIT_RECOVERS,
}
# A "recovers" card declines this many merchant-initiated attempts of one reference (the
# merchant's renewal order) for insufficient funds, then pays: a dunning sequence that works.
MIT_SOFT_DECLINES_BEFORE_SUCCESS = 2


def webhook_secret() -> str:
    """From settings, the environment, or generated once into var/ (never committed)."""
    value = getattr(settings, "GALERIE_PAYMENT_WEBHOOK_SECRET", "") or os.environ.get(
        "GALERIE_PAYMENT_WEBHOOK_SECRET", ""
    )
    if value:
        return value
    return secret_file_read_or_create(settings.VAR_DIR / "payment_webhook_secret")


def webhook_sign(
    raw_body: bytes, *, timestamp: int | None = None, secret: str | None = None
) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        (secret or webhook_secret()).encode(),
        f"{timestamp}.".encode() + raw_body,
        hashlib.sha256,
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhook_verify(raw_body: bytes, signature: str, *, now: float | None = None) -> dict:
    """Check signature and age, then return the decoded event; raises WebhookRejected."""
    try:
        parts = dict(item.split("=", 1) for item in (signature or "").split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        raise WebhookRejected(_("En-tête de signature absent ou mal formé.")) from None
    now = time.time() if now is None else now
    if abs(now - timestamp) > WEBHOOK_TOLERANCE_SECONDS:
        raise WebhookRejected(_("Signature trop ancienne (plus de 300 secondes)."))
    expected = webhook_sign(raw_body, timestamp=timestamp).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, given):
        raise WebhookRejected(_("Signature invalide."))
    try:
        event = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError):
        raise WebhookRejected(_("Corps JSON invalide.")) from None
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise WebhookRejected(_("Événement sans identifiant ni type."))
    return event


@dataclass(frozen=True)
class GatewayResult:
    ok: bool
    reference: str = ""
    redirect_url: str = ""
    code: str = ""


class PaymentGateway(Protocol):
    def authorize(
        self, *, payment: Payment, return_url: str, label: str, save_card_for: str = ""
    ) -> GatewayResult:
        """Open the hosted session. `save_card_for`: the merchant name the customer is asked
        to authorise for later charges on this card (blank: the card is not kept)."""
        ...

    def charge_saved(
        self, *, card: SavedCard, amount: Decimal, reference: str, idempotency_key: str
    ) -> GatewayResult:
        """Charge a kept card with no customer present (merchant-initiated, no 3-D Secure).
        `reference` is the merchant's (the renewal order), stable across retries; the same
        `idempotency_key` returns the first result and never charges twice. On failure `code`
        says why (card_declined, insufficient_funds, expired_card …)."""
        ...

    def capture(self, *, payment: Payment) -> GatewayResult: ...

    def refund(
        self, *, payment: Payment, amount: Decimal, idempotency_key: str
    ) -> GatewayResult: ...

    def void(self, *, payment: Payment) -> GatewayResult: ...

    def webhook_parse(self, *, raw_body: bytes, signature: str) -> dict: ...


class SimulatedCardGateway:
    """A hosted-page card provider living in-process; captures automatically on success."""

    def authorize(
        self, *, payment: Payment, return_url: str, label: str, save_card_for: str = ""
    ) -> GatewayResult:
        charge, _created = SimulatedCharge.objects.get_or_create(
            token=payment.provider_ref,
            defaults={
                "amount": payment.amount,
                "merchant_label": label[:200],
                "return_url": return_url[:500],
                "save_card_for": save_card_for[:200],
            },
        )
        url = reverse("payments:hosted", kwargs={"token": charge.token})
        return GatewayResult(ok=True, reference=charge.token, redirect_url=url)

    def capture(self, *, payment: Payment) -> GatewayResult:
        # Sessions capture on success; capturing again is a no-op, as with real providers.
        charge = SimulatedCharge.objects.filter(token=payment.provider_ref).first()
        return GatewayResult(
            ok=bool(charge and charge.status == "succeeded"), reference=payment.provider_ref
        )

    def refund(self, *, payment: Payment, amount: Decimal, idempotency_key: str) -> GatewayResult:
        updated = SimulatedCharge.objects.filter(
            token=payment.provider_ref,
            status="succeeded",
            amount__gte=F("refunded") + amount,
        ).update(refunded=F("refunded") + amount)
        return GatewayResult(
            ok=updated == 1,
            reference=f"re_{idempotency_key[:40]}",
            code="" if updated else "refund_failed",
        )

    def void(self, *, payment: Payment) -> GatewayResult:
        updated = SimulatedCharge.objects.filter(
            token=payment.provider_ref, status__in=["open", "challenge"]
        ).update(status="voided")
        return GatewayResult(ok=updated == 1, reference=payment.provider_ref)

    def webhook_parse(self, *, raw_body: bytes, signature: str) -> dict:
        return webhook_verify(raw_body, signature)

    def charge_saved(
        self, *, card: SavedCard, amount: Decimal, reference: str, idempotency_key: str
    ) -> GatewayResult:
        try:
            with transaction.atomic():
                charge = self._mit_charge(card, amount, reference, idempotency_key)
        except IntegrityError:
            # The same key raced in from elsewhere and committed first: answer its result.
            charge = SimulatedCharge.objects.get(idempotency_key=idempotency_key)
        if charge.amount != amount or (charge.card and charge.card.token != card.provider_ref):
            return GatewayResult(ok=False, reference=charge.token, code="idempotency_conflict")
        return GatewayResult(
            ok=charge.status == "succeeded", reference=charge.token, code=charge.decline_code
        )

    @staticmethod
    def _mit_charge(card, amount, reference, idempotency_key) -> SimulatedCharge:
        # The kept card's row is locked first: two charges on one card count attempts in turn.
        kept = SimulatedCard.objects.select_for_update().filter(token=card.provider_ref).first()
        existing = (
            SimulatedCharge.objects.select_related("card")
            .filter(idempotency_key=idempotency_key)
            .first()
        )
        if existing is not None:
            return existing
        if kept is None:
            outcome = "card_unknown"
        else:
            today = clock.localdate()
            if (kept.exp_year, kept.exp_month) < (today.year, today.month):
                outcome = "expired_card"
            elif kept.mit_behaviour == MIT_RECOVERS:
                earlier = SimulatedCharge.objects.filter(
                    card=kept, mit_reference=reference[:64]
                ).count()
                outcome = (
                    "insufficient_funds"
                    if earlier < MIT_SOFT_DECLINES_BEFORE_SUCCESS
                    else "succeeded"
                )
            else:
                outcome = kept.mit_behaviour
        succeeded = outcome == "succeeded"
        return SimulatedCharge.objects.create(
            token="ch_" + secrets.token_urlsafe(24),
            amount=amount,
            status="succeeded" if succeeded else "failed",
            decline_code="" if succeeded else outcome,
            merchant_label=reference[:200],
            return_url="",
            card=kept,
            idempotency_key=idempotency_key,
            mit_reference=reference[:64],
        )


class BankTransferGateway:
    """Bank transfer: nothing to call; the operator confirms receipt by hand."""

    def authorize(
        self, *, payment: Payment, return_url: str, label: str, save_card_for: str = ""
    ) -> GatewayResult:
        return GatewayResult(ok=True, reference=payment.bank_reference)

    def capture(self, *, payment: Payment) -> GatewayResult:
        return GatewayResult(ok=True, reference=payment.bank_reference)

    def refund(self, *, payment: Payment, amount: Decimal, idempotency_key: str) -> GatewayResult:
        # The money goes back by an outgoing transfer the operator issues: recorded as manual.
        return GatewayResult(ok=True, reference="", code="manual")

    def void(self, *, payment: Payment) -> GatewayResult:
        return GatewayResult(ok=True)

    def webhook_parse(self, *, raw_body: bytes, signature: str) -> dict:
        raise WebhookRejected(_("Le virement n'envoie pas de notification."))

    def charge_saved(
        self, *, card: SavedCard, amount: Decimal, reference: str, idempotency_key: str
    ) -> GatewayResult:
        return GatewayResult(ok=False, code="not_supported")


GATEWAYS: dict[str, PaymentGateway] = {
    "card": SimulatedCardGateway(),
    "transfer": BankTransferGateway(),
}


def gateway_for(method: str) -> PaymentGateway:
    return GATEWAYS[method]


def payment_methods_available() -> list[str]:
    """The methods a buyer may choose. The card's only provider is the simulated one, so the
    card is offered only while GALERIE_PAYMENT_SIMULATOR is on (read per call: tests toggle it)."""
    return [
        method
        for method in GATEWAYS
        if method != "card" or getattr(settings, "GALERIE_PAYMENT_SIMULATOR", False)
    ]


def card_number_clean(raw: str) -> str:
    return "".join(ch for ch in (raw or "") if ch.isdigit())


def card_brand(number: str) -> str:
    """The network from the first digits (enough for the test cards and the common networks)."""
    if number.startswith("4"):
        return "Visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "Mastercard"
    if number[:2] in {"34", "37"}:
        return "American Express"
    return ""

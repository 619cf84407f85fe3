"""The simulated card provider's side: what its hosted page does with a typed card number.

Nothing here stores the card number: it only selects the outcome of a test card, exactly as a
provider's sandbox does, then notifies Galerie through a signed webhook. When the merchant asked
to keep the card and the customer consented, the provider keeps the card's brand, last four
digits, expiry and later-charge behaviour (`SimulatedCard`), and the webhook says so.
"""

import re
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.payments.gateways import MIT_CARDS, TEST_CARDS, card_brand, card_number_clean
from galerie.payments.models import SimulatedCard, SimulatedCharge
from galerie.payments.services import webhook_emit

_EXPIRY = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*$")


class CardRejected(Exception):
    """The hosted page's own form error (unknown or malformed test card)."""


def card_expiry_parse(raw: str) -> tuple[int, int]:
    """(month, four-digit year) of a typed "MM/AA" expiry; CardRejected if malformed or over."""
    match = _EXPIRY.match(raw or "")
    month = int(match.group(1)) if match else 0
    if not 1 <= month <= 12:
        raise CardRejected(_("Date d'expiration invalide : tapez MM/AA, par exemple 12/30."))
    year = int(match.group(2))
    year = year + 2000 if year < 100 else year
    today = clock.localdate()
    if (year, month) < (today.year, today.month):
        raise CardRejected(_("Cette carte est expirée : vérifiez la date d'expiration."))
    return month, year


@transaction.atomic
def charge_submit(
    *,
    token: str,
    card_number: str,
    expiry: str = "",
    consent: bool = False,
    webhooks: str | None = None,
) -> str:
    """Apply a typed card to an open session: "succeeded", "failed" or "challenge".

    On a session that keeps the card (`save_card_for`: the customer chose tacit renewal), the
    expiry and the customer's `consent` to later charges are required: without them
    CardRejected, nothing charged nor kept. `webhooks` ("inline" or "task") overrides how the
    provider's webhook is delivered (`webhook_emit`), by default as
    settings.GALERIE_PAYMENT_WEBHOOKS says."""
    charge = SimulatedCharge.objects.select_for_update().get(token=token)
    if charge.status != "open":
        return charge.status
    number = card_number_clean(card_number)
    outcome = TEST_CARDS.get(number)
    if outcome is None:
        raise CardRejected(
            _(
                "Carte de test inconnue : utilisez 4242 4242 4242 4242, 4000 0000 0000 0002, "
                "4000 0000 0000 9995 ou 4000 0000 0000 3220."
            )
        )
    if charge.save_card_for:
        month, year = card_expiry_parse(expiry)
        if not consent:
            raise CardRejected(
                _(
                    "Cochez l'autorisation de débit : vous avez choisi la reconduction tacite "
                    "de votre abonnement."
                )
            )
        charge.card = SimulatedCard.objects.create(
            token="card_" + secrets.token_urlsafe(18),
            brand=card_brand(number),
            last4=number[-4:],
            exp_month=month,
            exp_year=year,
            mit_behaviour=MIT_CARDS.get(number, "succeeded"),
        )
        charge.save(update_fields=["card", "updated_at"])
    if outcome == "challenge":
        charge.status = "challenge"
        charge.save(update_fields=["status", "updated_at"])
        webhook_emit(
            event_type="charge.requires_action",
            reference=token,
            amount=charge.amount,
            delivery=webhooks,
        )
        return "challenge"
    return _finish(charge, outcome, webhooks=webhooks)


@transaction.atomic
def charge_challenge(*, token: str, approved: bool) -> str:
    charge = SimulatedCharge.objects.select_for_update().get(token=token)
    if charge.status != "challenge":
        return charge.status
    return _finish(charge, "succeeded" if approved else "authentication_failed")


def _finish(charge: SimulatedCharge, outcome: str, *, webhooks: str | None = None) -> str:
    if outcome == "succeeded":
        charge.status = "succeeded"
        charge.save(update_fields=["status", "updated_at"])
        kept = charge.card
        webhook_emit(
            event_type="charge.succeeded",
            reference=charge.token,
            amount=charge.amount,
            card=(
                {
                    "id": kept.token,
                    "brand": kept.brand,
                    "last4": kept.last4,
                    "exp_month": kept.exp_month,
                    "exp_year": kept.exp_year,
                }
                if kept is not None
                else None
            ),
            delivery=webhooks,
        )
        return "succeeded"
    charge.status = "failed"
    charge.decline_code = outcome
    charge.save(update_fields=["status", "decline_code", "updated_at"])
    webhook_emit(
        event_type="charge.failed",
        reference=charge.token,
        amount=charge.amount,
        code=outcome,
        delivery=webhooks,
    )
    return "failed"

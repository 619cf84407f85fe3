"""The simulated card provider's side: what its hosted page does with a typed card number.

Nothing here stores the card number: it only selects the outcome of a test card, exactly as a
provider's sandbox does, then notifies Galerie through a signed webhook.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from galerie.payments.gateways import TEST_CARDS, card_number_clean
from galerie.payments.models import SimulatedCharge
from galerie.payments.services import webhook_emit


class CardRejected(Exception):
    """The hosted page's own form error (unknown or malformed test card)."""


@transaction.atomic
def charge_submit(*, token: str, card_number: str, webhooks: str | None = None) -> str:
    """Apply a typed card to an open session: "succeeded", "failed" or "challenge".

    `webhooks` ("inline" or "task") overrides how the provider's webhook is delivered
    (`webhook_emit`), by default as settings.GALERIE_PAYMENT_WEBHOOKS says."""
    charge = SimulatedCharge.objects.select_for_update().get(token=token)
    if charge.status != "open":
        return charge.status
    outcome = TEST_CARDS.get(card_number_clean(card_number))
    if outcome is None:
        raise CardRejected(
            _(
                "Carte de test inconnue : utilisez 4242 4242 4242 4242, 4000 0000 0000 0002, "
                "4000 0000 0000 9995 ou 4000 0000 0000 3220."
            )
        )
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
        webhook_emit(
            event_type="charge.succeeded",
            reference=charge.token,
            amount=charge.amount,
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

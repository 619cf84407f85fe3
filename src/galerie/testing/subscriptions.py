"""Test helpers for press subscriptions: a card kept by the simulated provider, a subscription
bought and paid through the real services."""

from __future__ import annotations

import itertools
import uuid

from galerie.orders.services import order_place
from galerie.payments.models import SavedCard, SimulatedCard
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.subscriptions.models import Subscription

ADDRESS = {
    "name": "Camille Martin",
    "line1": "12 rue des Lilas",
    "postcode": "75011",
    "city": "Paris",
    "country": "FR",
}
_keys = itertools.count(1)


def saved_card_make(
    *,
    email: str = "client@example.fr",
    user=None,
    behaviour: str = "succeeded",
    exp_month: int = 12,
    exp_year: int = 2099,
) -> SavedCard:
    """A card the simulated provider keeps; its merchant-initiated charges answer `behaviour`
    ("succeeded", "insufficient_funds", "card_declined", or "recovers")."""
    token = "card_" + uuid.uuid4().hex[:20]
    SimulatedCard.objects.create(
        token=token,
        brand="Visa",
        last4="4242",
        exp_month=exp_month,
        exp_year=exp_year,
        mit_behaviour=behaviour,
    )
    return SavedCard.objects.create(
        user=user,
        email=email,
        provider_ref=token,
        brand="Visa",
        last4="4242",
        exp_month=exp_month,
        exp_year=exp_year,
    )


def order_pay_by_transfer(order):
    start = payment_start(order=order, method="transfer", return_url="/")
    payment_transfer_mark_received(payment=start.payment)
    order.refresh_from_db()
    return order


def subscription_buy(
    *,
    offer,
    storefront,
    email: str = "client@example.fr",
    auto_renew: bool = True,
    card: SavedCard | None = None,
    paid: bool = True,
) -> Subscription:
    """Buy one term of `offer` through order_place (paid by a transfer received, unless
    `paid` is False) and attach `card` as the subscription's saved card."""
    order = order_place(
        storefront=storefront,
        email=email,
        lines=[(offer.pk, 1)],
        details={offer.pk: {"auto_renew": auto_renew}},
        delivery_choices={},
        shipping_address=dict(ADDRESS),
        billing_address=dict(ADDRESS),
        idempotency_key=f"subscription-buy-{next(_keys)}-{uuid.uuid4().hex[:8]}",
    )
    if paid:
        order_pay_by_transfer(order)
    subscription = Subscription.objects.get(terms__order_line__order=order)
    if card is not None:
        Subscription.objects.filter(pk=subscription.pk).update(saved_card=card)
        subscription.refresh_from_db()
    return subscription

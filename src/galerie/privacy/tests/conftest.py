import itertools

import pytest
from django.contrib.auth.models import User

from galerie.orders.services import (
    order_place,
    seller_order_accept,
    seller_order_deliver,
    seller_order_ship,
)
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.testing.factories import make_offer, make_storefront

ADDRESS = {
    "name": "Camille Martin",
    "line1": "12 rue des Lilas",
    "postcode": "75011",
    "city": "Paris",
    "country": "FR",
    "phone": "0601020304",
}
PASSWORD = "pw-camille-2026"


@pytest.fixture
def storefront():
    return make_storefront("culture")


@pytest.fixture
def customer():
    return User.objects.create_user(
        "camille@example.fr",
        "camille@example.fr",
        PASSWORD,
        first_name="Camille",
        last_name="Martin",
    )


@pytest.fixture
def other():
    return User.objects.create_user("dominique@example.fr", "dominique@example.fr", PASSWORD)


@pytest.fixture
def place(storefront):
    """Place an order of one book for `user` (pending payment)."""
    keys = itertools.count(1)

    def _place(user, *, price="12.00", title=None):
        offer = make_offer(price=price, stock=5)
        if title:
            offer.product.title = title
            offer.product.save(update_fields=["title"])
        return order_place(
            storefront=storefront,
            email=user.email,
            user=user,
            lines=[(offer.pk, 1)],
            delivery_choices={},
            shipping_address=dict(ADDRESS),
            billing_address=dict(ADDRESS),
            idempotency_key=f"privacy-{user.pk}-{next(keys)}",
        )

    return _place


@pytest.fixture
def pay():
    def _pay(order):
        payment = payment_start(order=order, method="transfer", return_url="/").payment
        payment_transfer_mark_received(payment=payment)
        order.refresh_from_db()
        return order

    return _pay


@pytest.fixture
def delivered(place, pay):
    """A paid order of `user` whose every seller has delivered it."""

    def _delivered(user, **kw):
        order = pay(place(user, **kw))
        for part in order.seller_orders.all():
            seller_order_accept(seller_order=part)
            seller_order_ship(seller_order=part, carrier="Colissimo", tracking_number="6A1")
            seller_order_deliver(seller_order=part)
        order.refresh_from_db()
        return order

    return _delivered

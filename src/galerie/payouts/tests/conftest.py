"""Fixtures of the money flows: a mall with the operator and two third-party sellers, orders paid
through the real services (card through the simulated provider's signed webhook, or transfer)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from galerie.orders.tests.conftest import address, place, storefront  # noqa: F401
from galerie.sellers.models import CommissionRule
from galerie.testing.factories import make_category, make_offer, make_product, make_seller

IBAN_A = "FR1420041010050500013M02606"
IBAN_B = "DE89370400440532013000"


@pytest.fixture
def mall(db):
    """Operator (purchase costs on its offers), seller A (10 % + 0.50 €) and seller B (default
    rule: 15 %), one category each."""
    operator = make_seller("Galerie", is_operator=True, iban="", bic="")
    seller_a = make_seller("Alpha", iban=IBAN_A, bic="PSSTFRPPXXX")
    seller_b = make_seller("Beta", iban=IBAN_B, bic="COBADEFFXXX")
    books = make_category("Livres")
    music = make_category("Musique")
    CommissionRule.objects.create(category=books, rate=Decimal("10.00"), fixed_fee=Decimal("0.50"))
    return {
        "operator": operator,
        "a": seller_a,
        "b": seller_b,
        "books": books,
        "music": music,
        "own": make_offer(
            make_product(category=books),
            seller=operator,
            price="30.00",
            stock=1000,
            purchase_cost=Decimal("18.00"),
        ),
        "offer_a": make_offer(
            make_product(category=books), seller=seller_a, price="20.00", stock=1000
        ),
        "offer_b": make_offer(
            make_product(category=music), seller=seller_b, price="12.99", stock=1000
        ),
    }


@pytest.fixture
def pay(django_capture_on_commit_callbacks):
    """Pay an order by card (default, through the signed webhook) or by transfer."""
    from galerie.payments.gateways import CARD_SUCCESS
    from galerie.payments.services import payment_start, payment_transfer_mark_received
    from galerie.payments.simulator import charge_submit

    def _pay(order, method="card"):
        start = payment_start(order=order, method=method, return_url="/")
        if method == "transfer":
            payment_transfer_mark_received(payment=start.payment)
        else:
            with django_capture_on_commit_callbacks(execute=True):
                charge_submit(token=start.payment.provider_ref, card_number=CARD_SUCCESS)
        order.refresh_from_db()
        assert order.status == "paid"
        return start.payment

    return _pay


@pytest.fixture
def deliver():
    """Accept, ship and deliver a seller order, delivered `days_ago` days ago."""
    from galerie.orders.models import SellerOrder
    from galerie.orders.services import (
        seller_order_accept,
        seller_order_deliver,
        seller_order_ship,
    )

    def _deliver(seller_order, days_ago=20):
        seller_order_accept(seller_order=seller_order)
        seller_order_ship(seller_order=seller_order, carrier="Colissimo", tracking_number="6A123")
        seller_order_deliver(seller_order=seller_order)
        SellerOrder.objects.filter(pk=seller_order.pk).update(
            delivered_at=timezone.now() - dt.timedelta(days=days_ago)
        )
        seller_order.refresh_from_db()
        return seller_order

    return _deliver

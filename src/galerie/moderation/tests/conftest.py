import pytest

from galerie.orders.tests.conftest import ADDRESS
from galerie.testing.factories import make_storefront


@pytest.fixture
def storefront():
    return make_storefront("culture")


@pytest.fixture
def bought(storefront):
    """A paid order of one unit of `offer` by `email`."""
    from galerie.orders.services import order_place
    from galerie.payments.services import payment_start, payment_transfer_mark_received

    counter = iter(range(1, 10_000))

    def _buy(offer, email="client@example.fr"):
        order = order_place(
            lines=[(offer.pk, 1)],
            storefront=storefront,
            email=email,
            delivery_choices={},
            shipping_address=dict(ADDRESS),
            billing_address=dict(ADDRESS),
            idempotency_key=f"mod-key-{next(counter)}",
        )
        payment_transfer_mark_received(
            payment=payment_start(order=order, method="transfer", return_url="/").payment
        )
        order.refresh_from_db()
        return order

    return _buy

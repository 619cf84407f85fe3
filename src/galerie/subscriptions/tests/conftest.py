import pytest

from galerie.orders.tests.conftest import ADDRESS
from galerie.testing.factories import make_storefront


@pytest.fixture
def storefront():
    return make_storefront("culture")


@pytest.fixture
def place(storefront):
    """Place an order of (offer, quantity) lines with optional details."""
    from galerie.orders.services import order_place

    counter = iter(range(1, 10_000))

    def _place(lines, **kw):
        kw.setdefault("storefront", storefront)
        kw.setdefault("email", "client@example.fr")
        kw.setdefault("delivery_choices", {})
        kw.setdefault("shipping_address", dict(ADDRESS))
        kw.setdefault("billing_address", dict(ADDRESS))
        kw.setdefault("idempotency_key", f"sub-key-{next(counter)}")
        return order_place(lines=lines, **kw)

    return _place


@pytest.fixture
def pay():
    """Pay an order by bank transfer marked received (no webhook needed)."""
    from galerie.payments.services import payment_start, payment_transfer_mark_received

    def _pay(order):
        start = payment_start(order=order, method="transfer", return_url="/")
        payment_transfer_mark_received(payment=start.payment)
        order.refresh_from_db()
        return order

    return _pay

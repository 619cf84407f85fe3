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


@pytest.fixture
def press(storefront):
    """The storefront's press shelf: a category in its assortment."""
    from galerie.testing.factories import make_category

    category = make_category("Presse", slug="presse")
    storefront.categories.add(category)
    return category


@pytest.fixture
def subscriber(place, pay):
    """A customer's paid subscription: subscriber(user, offer, auto_renew=False) → Subscription."""
    from galerie.subscriptions.models import Subscription

    def _subscribe(user, offer, *, auto_renew=False, paid=True):
        order = place(
            [(offer.pk, 1)],
            user=user,
            email=user.email,
            details={offer.pk: {"auto_renew": auto_renew}},
        )
        if paid:
            pay(order)
        return Subscription.objects.filter(terms__order_line__order=order).get()

    return _subscribe


@pytest.fixture
def make_customer():
    from django.contrib.auth import get_user_model

    def _make(name="claire"):
        return get_user_model().objects.create_user(
            f"{name}@example.fr", f"{name}@example.fr", "pw-12345678"
        )

    return _make

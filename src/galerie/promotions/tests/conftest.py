import datetime as dt
from decimal import Decimal

import pytest

from galerie.core import clock
from galerie.promotions.models import ReductionKind, Voucher
from galerie.testing.factories import make_storefront

ADDRESS = {
    "name": "Camille Martin",
    "line1": "12 rue des Lilas",
    "postcode": "75011",
    "city": "Paris",
    "country": "FR",
}


def make_voucher(code="BIENVENUE", *, kind=ReductionKind.PERCENT, value="10", **kw) -> Voucher:
    now = clock.now()
    kw.setdefault("starts_at", now - dt.timedelta(days=1))
    kw.setdefault("ends_at", now + dt.timedelta(days=30))
    return Voucher.objects.create(code=code, kind=kind, value=Decimal(value), **kw)


@pytest.fixture
def storefront(db):
    return make_storefront("culture")


@pytest.fixture
def place(storefront):
    """Place an order with sensible defaults; keyword arguments override them."""
    from galerie.orders.services import order_place

    counter = iter(range(1, 10_000))

    def _place(lines, **kw):
        kw.setdefault("storefront", storefront)
        kw.setdefault("email", "client@example.fr")
        kw.setdefault("delivery_choices", {})
        kw.setdefault("shipping_address", dict(ADDRESS))
        kw.setdefault("billing_address", dict(ADDRESS))
        kw.setdefault("idempotency_key", f"key-{next(counter)}")
        return order_place(lines=lines, **kw)

    return _place

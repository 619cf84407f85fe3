"""Double clicks on PostgreSQL with real threads: one cart never holds more than the stock."""

import threading

import pytest
from django.db import connection

from galerie.cart.errors import NotEnoughStock
from galerie.cart.models import CartLine
from galerie.cart.services import cart_add, cart_create
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_eight_simultaneous_adds_never_exceed_stock():
    category = make_category()
    storefront = make_storefront(categories=[category])
    offer = make_offer(make_product(category=category), stock=3)
    cart = cart_create(storefront=storefront)
    barrier = threading.Barrier(8)
    results = [None] * 8

    def add(i):
        try:
            barrier.wait()
            results[i] = cart_add(cart=cart, offer_id=offer.pk, quantity=1)
        except Exception as exc:  # noqa: BLE001 - every outcome is inspected below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    refused = [r for r in results if isinstance(r, NotEnoughStock)]
    assert len(refused) == 5, results
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [3]

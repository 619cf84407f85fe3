"""Seats race like stock, on PostgreSQL with real threads: two buyers, one seat, one booking."""

import pytest

from galerie.orders.errors import OrderError
from galerie.orders.models import Order
from galerie.orders.services import order_place
from galerie.sellers.models import Offer
from galerie.testing.concurrency import race
from galerie.testing.factories import make_seller, make_storefront, make_trip
from galerie.travel.models import Booking
from galerie.travel.tests.conftest import travellers

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADDRESS = {"name": "A. Client", "line1": "1 rue de la Paix", "postcode": "75002", "city": "Paris"}


@pytest.fixture(autouse=True)
def _tax_rates():
    from galerie.pricing.services import tax_rates_ensure

    tax_rates_ensure()


def test_last_seat_with_two_buyers_makes_one_booking():
    storefront = make_storefront()
    departure = make_trip(seller=make_seller("Galerie", is_operator=True), seats=1)
    details = {"adults": 1, "travellers": travellers(1)}

    def buy(i):
        return order_place(
            storefront=storefront,
            email=f"buyer{i}@example.fr",
            lines=[(departure.offer_id, 1)],
            details={departure.offer_id: details},
            delivery_choices={},
            shipping_address=ADDRESS,
            billing_address=ADDRESS,
            idempotency_key=f"seat-{i}",
        )

    results = race(2, buy)

    orders = [r for r in results if isinstance(r, Order)]
    errors = [r for r in results if isinstance(r, OrderError)]
    assert len(orders) == 1 and len(errors) == 1, results
    assert errors[0].code in {"out_of_stock", "offer_unavailable"}
    assert Booking.objects.count() == 1 and Order.objects.count() == 1
    assert Offer.objects.get(pk=departure.offer_id).stock == 0

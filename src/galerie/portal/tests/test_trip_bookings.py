"""The seller portal shows a trip's booking on its order page, cancelled ones with their fee."""

import pytest

from galerie.payments.cancellations import travel_booking_cancel
from galerie.travel.tests.trips import make_departure, place_trip

pytestmark = pytest.mark.django_db


def test_seller_sees_the_cancelled_booking_and_its_fee(world, as_user):
    departure = make_departure(seller=world.seller_a, price="400.00", days_ahead=20)
    order, booking = place_trip(storefront=world.storefront, departure=departure, adults=1)
    travel_booking_cancel(booking=booking, idempotency_key="portal-1")
    seller_order = order.seller_orders.get()
    html = as_user(world.users.owner_a).get(f"/vendeur/commandes/{seller_order.pk}/")
    text = html.content.decode()
    assert html.status_code == 200
    assert 'data-status="cancelled"' in text
    assert "Réservation annulée le" in text and "200,00" in text
    # Another seller never sees it.
    other = as_user(world.users.owner_b).get(f"/vendeur/commandes/{seller_order.pk}/")
    assert other.status_code == 404

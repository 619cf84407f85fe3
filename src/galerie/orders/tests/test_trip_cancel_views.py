"""A customer cancels a trip from the order page (confirmation first) or through the API; another
customer's booking is 404 both ways; the page says a trip carries no withdrawal right."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from galerie.payments.models import Refund
from galerie.sellers.models import Offer
from galerie.travel.models import Booking, BookingStatus
from galerie.travel.tests.trips import make_departure, place_trip

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice", "alice@example.fr", "pw-alice-123")


@pytest.fixture
def bob():
    return get_user_model().objects.create_user("bob", "bob@example.fr", "pw-bob-123")


@pytest.fixture
def trip(storefront, alice):
    departure = make_departure(price="1000.00", seats=10, days_ahead=45)
    order, booking = place_trip(
        storefront=storefront, departure=departure, user=alice, email="alice@example.fr"
    )
    return order, booking, departure


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_order_page_shows_schedule_no_withdrawal_and_no_whole_order_cancel(trip, alice):
    order, booking, _departure = trip
    html = _client(alice).get(order.get_absolute_url()).content.decode()
    assert "Conditions d&#x27;annulation" in html or "Conditions d'annulation" in html
    assert "pas de droit de rétractation" in html
    assert "L221-28 12°" in html
    assert f"/voyages/{booking.pk}/annuler/" in html and "Annuler ce voyage" in html
    # A paid trip is never cancelled with the whole order (that would refund its fee).
    assert f"/commandes/{order.public_id}/annuler/" not in html


def test_confirmation_page_shows_fee_and_refund_then_post_cancels(trip, alice):
    order, booking, departure = trip
    client = _client(alice)
    url = f"/commandes/{order.public_id}/voyages/{booking.pk}/annuler/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-fee="600.00"' in html and 'data-refund="1400.00"' in html
    assert (
        Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    )  # GET changes nothing
    key = html.split('name="idempotency_key" value="')[1].split('"')[0]
    response = client.post(url, {"idempotency_key": key})
    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert Refund.objects.get(order=order).amount == Decimal("1400.00")
    assert Offer.objects.get(pk=departure.offer_id).stock == 10
    # A double submit of the same form refunds once.
    client.post(url, {"idempotency_key": key})
    assert Refund.objects.filter(order=order).count() == 1
    after = client.get(order.get_absolute_url()).content.decode()
    assert "Réservation annulée le" in after


def test_foreign_customer_gets_404_on_page_post_and_api(trip, bob):
    order, booking, _departure = trip
    client = _client(bob)
    url = f"/commandes/{order.public_id}/voyages/{booking.pk}/annuler/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"idempotency_key": "x"}).status_code == 404
    api = Client(enforce_csrf_checks=False)
    api.force_login(bob)
    response = api.post(
        f"/api/payments/orders/{order.public_id}/bookings/{booking.pk}/cancel",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    assert not Refund.objects.exists()


def test_api_cancels_once_per_key_with_json_errors(trip, alice):
    order, booking, _departure = trip
    client = _client(alice)
    url = f"/api/payments/orders/{order.public_id}/bookings/{booking.pk}/cancel"
    missing = client.post(url)
    assert missing.status_code == 400 and missing.json()["code"] == "idempotency_key_required"
    first = client.post(url, HTTP_IDEMPOTENCY_KEY="api-1")
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["status"] == "cancelled" and body["percent"] == 30
    assert Decimal(body["fee"]) == Decimal("600.00") and Decimal(body["refunded"]) == Decimal(
        "1400"
    )
    assert body["replayed"] is False
    again = client.post(url, HTTP_IDEMPOTENCY_KEY="api-1")
    assert again.status_code == 200 and again.json()["replayed"] is True
    other = client.post(url, HTTP_IDEMPOTENCY_KEY="api-2")
    assert other.status_code == 409 and other.json()["code"] == "booking_already_cancelled"
    assert Refund.objects.filter(order=order).count() == 1


def test_api_refuses_departure_day_with_409(trip, alice, monkeypatch):
    order, booking, departure = trip
    from galerie.core import clock

    monkeypatch.setattr(clock, "localdate", lambda value=None: departure.starts_on)
    response = _client(alice).post(
        f"/api/payments/orders/{order.public_id}/bookings/{booking.pk}/cancel",
        HTTP_IDEMPOTENCY_KEY="late",
    )
    assert response.status_code == 409 and response.json()["code"] == "departure_passed"
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_unknown_booking_id_out_of_range_is_a_clean_error(trip, alice):
    order, _booking, _departure = trip
    client = _client(alice)
    huge = client.post(
        f"/api/payments/orders/{order.public_id}/bookings/99999999999999999999/cancel",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert huge.status_code == 422
    unknown = client.post(
        f"/api/payments/orders/{order.public_id}/bookings/999999/cancel",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert unknown.status_code == 404


def test_a_forged_whole_order_cancel_of_a_paid_trip_refunds_nothing(trip, alice):
    # Given a paid trip, when the customer posts the whole-order cancel the page does not offer
    order, booking, departure = trip
    response = _client(alice).post(f"/commandes/{order.public_id}/annuler/", follow=True)
    # Then it is refused with the way to cancel under the schedule, and nothing moved
    assert "selon son barème" in response.content.decode()
    order.refresh_from_db()
    booking.refresh_from_db()
    assert order.status == "paid" and booking.status == BookingStatus.CONFIRMED
    assert not Refund.objects.filter(order=order).exists()
    assert Offer.objects.get(pk=departure.offer_id).stock == 8


def test_a_forged_whole_order_cancel_of_a_paid_subscription_refunds_nothing(storefront, alice):
    from galerie.orders.services import order_place
    from galerie.orders.tests.conftest import ADDRESS
    from galerie.payments.services import payment_start, payment_transfer_mark_received
    from galerie.subscriptions.models import Subscription
    from galerie.testing.factories import make_subscription_offer

    offer = make_subscription_offer()
    order = order_place(
        storefront=storefront,
        email="alice@example.fr",
        user=alice,
        lines=[(offer.pk, 1)],
        delivery_choices={},
        shipping_address=ADDRESS,
        billing_address=ADDRESS,
        idempotency_key="sub-forged-cancel",
    )
    payment_transfer_mark_received(
        payment=payment_start(order=order, method="transfer", return_url="/").payment
    )
    _client(alice).post(f"/commandes/{order.public_id}/annuler/")
    order.refresh_from_db()
    assert order.status == "paid"
    assert Subscription.objects.get().status == "active"
    assert not Refund.objects.filter(order=order).exists()

"""The back office cancels a booking only with the right to refund; the schedules shown before
ordering come from the departures of the quoted offers."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.test import Client

from galerie.testing.factories import make_offer
from galerie.travel.models import Booking, BookingStatus
from galerie.travel.selectors import offers_trip_schedules
from galerie.travel.tests.trips import make_departure, place_trip

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/travel/booking/"


@pytest.fixture
def booking(storefront):
    _order, booking = place_trip(storefront=storefront, departure=make_departure(days_ahead=40))
    return booking


def _staff(*perms):
    user = get_user_model().objects.create_user("agent", "agent@example.fr", is_staff=True)
    for codename in perms:
        app, code = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=code)
        )
    client = Client()
    client.force_login(user)
    return client


def test_admin_action_needs_the_refund_permission(booking):
    viewer = _staff("travel.view_booking")
    page = viewer.get(CHANGELIST).content.decode()
    assert "cancel_under_schedule" not in page
    viewer.post(CHANGELIST, {"action": "cancel_under_schedule", "_selected_action": [booking.pk]})
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_admin_action_cancels_under_the_schedule(booking):
    agent = _staff("travel.view_booking", "orders.refund")
    assert "cancel_under_schedule" in agent.get(CHANGELIST).content.decode()
    agent.post(CHANGELIST, {"action": "cancel_under_schedule", "_selected_action": [booking.pk]})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert str(booking.cancellation_fee) == "600.00"  # 30 % of 2 × 1 000 €


def test_schedules_before_ordering_only_for_trips():
    trip = make_departure(days_ahead=100)
    book = make_offer()
    schedules = offers_trip_schedules([book.pk, trip.offer_id])
    assert [s.departure.pk for s in schedules] == [trip.pk]
    html = render_to_string(
        "travel/_cancellation_schedule.html", {"schedule": schedules[0].schedule}
    )
    assert "pas de droit de rétractation" in html
    assert "30 %" in html and "90 %" in html
    assert offers_trip_schedules([book.pk]) == []

"""The simulated year sells trips and press subscriptions through their own paths: bookings with
named travellers, subscriptions with saved cards, renewals charged by the daily run (some
refused), and the ledger still balances and agrees with orders and payments."""

import datetime as dt

import pytest

from galerie.core import clock
from galerie.demo import simulation, trips_press
from galerie.demo.simulation import simulate
from galerie.ledger.checks import ledger_check_run
from galerie.payments.gateways import CARD_RENEWAL_DECLINED, CARD_SUCCESS
from galerie.pricing.services import tax_rates_ensure
from galerie.subscriptions.models import RenewalAttempt, SubscriptionTerm, TermStatus
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
    make_subscription_offer,
    make_trip,
)
from galerie.travel.models import Booking, BookingStatus, Traveller

# Transactional: the simulated provider's webhooks are delivered on commit, as in the demo.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def culture(monkeypatch):
    tax_rates_ensure()
    books, trips, press = (
        make_category("Livres", slug="livres"),
        make_category("Voyages", slug="voyages"),
        make_category("Presse", slug="presse"),
    )
    storefront = make_storefront("galerie", categories=[books, trips, press])
    operator = make_seller("Galerie", is_operator=True, slug="galerie")
    make_offer(make_product("Roman", category=books), seller=operator, stock=500, price="15.00")
    trip = make_trip(
        seller=operator,
        starts_on=clock.localdate() + dt.timedelta(days=90),
        seats=200,
        category=trips,
    )
    make_trip(
        seller=operator,
        product=trip.offer.product,
        starts_on=clock.localdate() + dt.timedelta(days=150),
        seats=200,
    )
    make_subscription_offer(seller=operator, term_months=3, category=press)
    # Busy enough for four months to hold trips, subscriptions and their renewals; half the
    # renewing subscribers' cards refuse the renewal.
    monkeypatch.setattr(trips_press, "TRIPS_PER_DAY", 0.5)
    # Few ordinary book orders: they are not what this test is about, and each costs a checkout.
    monkeypatch.setattr(simulation, "ORDERS_PER_DAY", {"galerie": 0.2})
    monkeypatch.setattr(trips_press, "SUBSCRIPTIONS_PER_DAY", 0.6)
    monkeypatch.setattr(trips_press, "P_AUTO_RENEW", 1.0)
    monkeypatch.setattr(
        trips_press, "RENEWAL_CARDS", [(CARD_SUCCESS, 0.5), (CARD_RENEWAL_DECLINED, 0.5)]
    )
    return storefront


def test_a_simulated_season_books_trips_renews_subscriptions_and_keeps_the_ledger_right(culture):
    run, result = simulate(months=4, seed=5, scale=1.0)

    assert result.trips_booked >= 5 and result.subscriptions_sold >= 20
    # Trips: confirmed bookings, every traveller named.
    confirmed = Booking.objects.filter(status=BookingStatus.CONFIRMED)
    assert confirmed.exists()
    for booking in confirmed:
        assert (
            Traveller.objects.filter(booking=booking).count() == booking.adults + booking.children
        )
    # Subscriptions of three months bought in the first weeks were renewed by the daily run:
    # some renewals paid on the saved card, some refused for good (the term failed, unserved).
    assert SubscriptionTerm.objects.filter(number=2, status=TermStatus.PAID).exists()
    assert RenewalAttempt.objects.filter(outcome="hard_declined").exists()
    for term in SubscriptionTerm.objects.exclude(status=TermStatus.PAID):
        assert not term.fulfilments.exclude(status="cancelled").exists()
    problems = [(r.name, r.problems) for r in ledger_check_run() if not r.ok]
    assert problems == []

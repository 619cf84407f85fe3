"""The demo's trips and press subscriptions: real departures through the next 12 months and
plans per term, sold by the operator and by a seller of each trade."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from galerie.catalog.models import Product
from galerie.core import clock
from galerie.demo.generator import PUBLISHER, TRAVEL_AGENCY
from galerie.demo.services import PUBLISHED_SINCE, demo_load
from galerie.pricing.services import vat_rates
from galerie.sellers.models import Offer
from galerie.subscriptions.models import SubscriptionPlan
from galerie.travel.models import Departure, TravelPackage, default_cancellation_tiers

pytestmark = pytest.mark.django_db

PRODUCTS = 800


@pytest.fixture
def mall():
    demo_load(products=PRODUCTS)


def test_every_trip_has_departures_in_the_next_twelve_months_and_none_past(mall):
    today = clock.localdate()
    trips = Product.objects.filter(product_type__slug="voyage")
    assert trips.count() >= 15

    departures = Departure.objects.select_related("offer")
    assert departures.count() >= 4 * trips.count()
    assert not departures.filter(starts_on__lte=today).exists()
    assert not departures.filter(starts_on__gt=today + datetime.timedelta(days=365)).exists()
    # Every trip can be booked well ahead: departures spread over the year, not one season.
    for trip in trips:
        dates = sorted(
            Departure.objects.filter(offer__product=trip).values_list("starts_on", flat=True)
        )
        assert len(dates) >= 4, trip
        assert (dates[-1] - dates[0]).days >= 180, trip
    # Trips are sold only as departures: no shelf offer left on a trip product.
    assert not Offer.objects.filter(product__in=trips, departure__isnull=True).exists()


def test_departures_hold_coherent_seats_and_fares(mall):
    departures = list(Departure.objects.select_related("offer__seller", "offer__product__travel"))

    nearly_full = [d for d in departures if 1 <= d.offer.stock <= 3]
    sold_out = [d for d in departures if d.offer.stock == 0]
    assert len(nearly_full) >= 10 and len(sold_out) >= 3
    for d in departures:
        assert 0 <= d.offer.stock <= d.capacity
        assert d.duration_days >= 3
        assert d.child_price is None or Decimal("0") < d.child_price < d.offer.price
    assert any(d.child_price is None for d in departures)  # some trips take no children


def test_the_operator_departures_leave_a_margin_of_fifteen_to_twenty_five_percent(mall):
    own = Departure.objects.filter(offer__seller__is_operator=True).select_related("offer")
    assert own.exists()
    for d in own:
        assert d.cost_adult is not None and d.offer.purchase_cost == d.cost_adult
        margin = (d.offer.price - d.cost_adult) / d.offer.price
        assert Decimal("0.14") < margin < Decimal("0.26"), d
        if d.child_price is not None:
            assert Decimal("0") < d.cost_child < d.child_price
        else:
            assert d.cost_child is None
    # A seller's departures are its own business: the operator records no cost for them.
    theirs = Departure.objects.filter(offer__seller__is_operator=False)
    assert theirs.exists()
    assert not theirs.exclude(cost_adult=None, cost_child=None, offer__purchase_cost=None).exists()


def test_every_trip_has_a_package_with_options_and_a_fee_schedule(mall):
    trips = Product.objects.filter(product_type__slug="voyage")
    packages = TravelPackage.objects.filter(product__in=trips)
    assert packages.count() == trips.count()
    schedules = [p.cancellation_tiers for p in packages]
    assert default_cancellation_tiers() in schedules
    assert any(s != default_cancellation_tiers() for s in schedules)  # some stricter
    for schedule in schedules:
        days = [tier["days_before"] for tier in schedule]
        assert days == sorted(days, reverse=True) and days[-1] == 0
        assert all(0 < tier["percent"] <= 100 for tier in schedule)
    for trip in trips.prefetch_related("travel_options"):
        options = list(trip.travel_options.all())
        assert 1 <= len(options) <= 2
        assert all(option.price > 0 for option in options)
        codes = {option.code: option.per_traveller for option in options}
        assert codes.get("assurance-annulation") is True
        assert codes.get("chambre-individuelle", False) is False


def test_press_offers_carry_a_plan_with_valid_terms_priced_per_term(mall):
    today = clock.localdate()
    press = Offer.objects.filter(product__product_type__slug="abonnement-presse")
    assert press.count() >= 20
    assert not press.filter(subscription_plan__isnull=True).exists()

    plans = SubscriptionPlan.objects.select_related("offer")
    terms: dict[tuple[int, int], dict[int, Decimal]] = {}
    for plan in plans:
        plan.full_clean()  # terms 3/6/12, issues per year in range, a known medium
        assert plan.issues_per_year in (4, 6, 11, 12, 52, 250, 312)
        # Published for years: a subscription bought in the simulated past year starts that day.
        since = today - PUBLISHED_SINCE
        assert since < plan.first_issue_on <= since + datetime.timedelta(days=91)
        terms.setdefault((plan.offer.product_id, plan.offer.seller_id), {})[plan.term_months] = (
            plan.offer.price
        )
    assert {3, 6, 12} <= {months for by_term in terms.values() for months in by_term}
    for by_term in terms.values():
        # A longer term costs more in all and less per month.
        ordered = sorted(by_term.items())
        for (short, short_price), (long, long_price) in zip(ordered, ordered[1:], strict=False):
            assert short_price < long_price
            assert long_price / long < short_price / short


def test_press_is_taxed_at_the_press_rate(mall):
    product_types = {
        o.product.product_type.tax_class
        for o in Offer.objects.filter(subscription_plan__isnull=False).select_related(
            "product__product_type"
        )
    }
    assert product_types == {"super_reduced"}
    assert vat_rates(on=clock.localdate())["super_reduced"] == Decimal("2.1")


def test_the_operator_and_a_seller_of_the_trade_sell_each_kind(mall):
    trips = Departure.objects.values_list("offer__seller__slug", flat=True).distinct()
    plans = SubscriptionPlan.objects.values_list("offer__seller__slug", flat=True).distinct()
    assert set(trips) == {"galerie", TRAVEL_AGENCY}
    assert set(plans) == {"galerie", PUBLISHER}


def test_departures_and_first_issues_follow_the_day_the_demo_is_loaded():
    later = timezone.make_aware(datetime.datetime(2031, 5, 20, 9, 0))
    with clock.simulated_clock(later):
        demo_load(products=PRODUCTS)

    first = Departure.objects.order_by("starts_on").first().starts_on
    last = Departure.objects.order_by("-starts_on").first().starts_on
    assert datetime.date(2031, 5, 20) < first and last < datetime.date(2032, 5, 20)
    first_issue = SubscriptionPlan.objects.order_by("first_issue_on")[0].first_issue_on
    assert first_issue > later.date() - PUBLISHED_SINCE

"""Booking details (what a trip line must say) and the booking's price and VAT."""

import datetime as dt
from decimal import Decimal

import pytest

from galerie.core import clock
from galerie.pricing.models import VatExemption
from galerie.pricing.services import margin_vat
from galerie.testing.factories import make_seller, make_trip
from galerie.travel.errors import BookingError
from galerie.travel.models import Booking
from galerie.travel.pricing import booking_price, booking_vat
from galerie.travel.services import booking_details_clean, departures_close_past
from galerie.travel.tests.conftest import travellers

pytestmark = pytest.mark.django_db


def _clean(departure, details, require=True):
    return booking_details_clean(departure=departure, details=details, require_travellers=require)


def test_details_cleaned_to_their_stored_shape(trip):
    details = {"adults": 2, "children": 1, "options": ["single_room", "single_room"]}
    details["travellers"] = travellers(2, 1)

    cleaned = _clean(trip, details)

    assert cleaned["adults"] == 2 and cleaned["children"] == 1
    assert cleaned["options"] == ["single_room"]
    assert [t["kind"] for t in cleaned["travellers"]] == ["adult", "adult", "child"]


def test_travellers_may_wait_for_checkout_unless_required(trip):
    assert "travellers" not in _clean(trip, {"adults": 1}, require=False)
    with pytest.raises(BookingError) as exc:
        _clean(trip, {"adults": 1})
    assert exc.value.code == "travellers_required"


@pytest.mark.parametrize(
    ("details", "code", "field", "words"),
    [
        ({"adults": 0}, "bad_travellers", "adults", "adultes"),
        ({"adults": True}, "bad_travellers", "adults", "adultes"),
        ({"adults": "2"}, "bad_travellers", "adults", "adultes"),
        ({"adults": 1, "children": -1}, "bad_travellers", "children", "enfants"),
        ({"adults": 8, "children": 2}, "bad_travellers", "children", "au plus 9"),
        ({"adults": 1, "options": ["spa"]}, "unknown_option", "options", "« spa »"),
        ({"adults": 1, "options": "single_room"}, "unknown_option", "options", "liste"),
        ([1, 2], "bad_travellers", "details", "adultes, enfants"),
    ],
)
def test_bad_counts_and_options_are_refused_with_a_message(trip, details, code, field, words):
    with pytest.raises(BookingError) as exc:
        _clean(trip, details, require=False)
    assert (exc.value.code, exc.value.field) == (code, field)
    assert words in exc.value.message


def test_children_refused_on_a_departure_without_child_fare(operator):
    departure = make_trip(seller=operator, child_price=None)
    with pytest.raises(BookingError) as exc:
        _clean(departure, {"adults": 1, "children": 1}, require=False)
    assert exc.value.code == "children_not_allowed"
    assert "moins de 12 ans" in exc.value.message


def test_travellers_must_match_the_counts(trip):
    with pytest.raises(BookingError) as exc:
        _clean(trip, {"adults": 2, "travellers": travellers(1)})
    assert exc.value.code == "travellers_mismatch" and "2 voyageurs" in exc.value.message
    with pytest.raises(BookingError) as exc:
        # Three adults' birth dates for a booking of two adults and a child.
        _clean(trip, {"adults": 2, "children": 1, "travellers": travellers(3)})
    assert exc.value.code == "travellers_mismatch"
    assert "moins de 12 ans le jour du départ" in exc.value.message
    people = travellers(1)
    people[0]["kind"] = "child"  # 40 years old
    with pytest.raises(BookingError) as exc:
        _clean(trip, {"adults": 1, "travellers": people})
    assert exc.value.code == "traveller_kind" and "adulte" in exc.value.message


def test_child_is_under_12_on_the_departure_date_not_today(trip):
    # 12 the day before departure: an adult; 12 the day after: still a child.
    eve = trip.starts_on - dt.timedelta(days=1)
    adult_birth = dt.date(eve.year - 12, eve.month, eve.day)
    child_birth = adult_birth + dt.timedelta(days=2)
    people = [
        {"first_name": "A", "last_name": "B", "birth_date": adult_birth.isoformat()},
        {"first_name": "C", "last_name": "D", "birth_date": child_birth.isoformat()},
    ]
    cleaned = _clean(trip, {"adults": 1, "children": 1, "travellers": people})
    assert [t["kind"] for t in cleaned["travellers"]] == ["adult", "child"]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"first_name": "  "}, "traveller_name", "travellers.0.first_name"),
        ({"last_name": "x" * 101}, "traveller_name", "travellers.0.last_name"),
        ({"birth_date": "15/01/1980"}, "traveller_birth_date", "travellers.0.birth_date"),
        ({"birth_date": "1980-02-30"}, "traveller_birth_date", "travellers.0.birth_date"),
        ({"birth_date": 19800115}, "traveller_birth_date", "travellers.0.birth_date"),
        ({"birth_date": "1850-01-01"}, "traveller_birth_date", "travellers.0.birth_date"),
    ],
)
def test_bad_names_and_birth_dates_are_refused(trip, change, code, field):
    people = travellers(1)
    people[0].update(change)
    with pytest.raises(BookingError) as exc:
        _clean(trip, {"adults": 1, "travellers": people})
    assert (exc.value.code, exc.value.field) == (code, field)


def test_birth_date_in_the_future_is_refused(trip):
    people = travellers(1)
    people[0]["birth_date"] = (clock.localdate() + dt.timedelta(days=1)).isoformat()
    with pytest.raises(BookingError) as exc:
        _clean(trip, {"adults": 1, "travellers": people})
    assert exc.value.code == "traveller_birth_date" and "futur" in exc.value.message


def test_price_adds_fares_and_options(operator):
    departure = make_trip(
        seller=operator,
        options=[
            ("single_room", "Chambre individuelle", "250.00", False),
            ("insurance", "Assurance annulation", "45.00", True),
        ],
    )
    details = {"adults": 2, "children": 1, "options": ["insurance", "single_room"]}

    price = booking_price(departure=departure, details=details)

    # 2 × 1 000 + 600 + 3 × 45 + 250
    assert price.total == Decimal("2985.00")
    assert price.options_total == Decimal("385.00")
    assert price.purchase_cost == Decimal("1800.00")  # 2 × 700 + 400


def test_cost_unknown_when_a_travellers_cost_is_missing(operator):
    departure = make_trip(seller=operator, cost_child=None)
    assert booking_price(departure=departure, details={"adults": 1}).purchase_cost == Decimal(
        "700.00"
    )
    priced = booking_price(departure=departure, details={"adults": 1, "children": 1})
    assert priced.purchase_cost is None


def test_operator_sells_under_the_margin_scheme(trip):
    price = booking_price(departure=trip, details={"adults": 2, "children": 1})  # 2 600 €

    vat = booking_vat(seller=trip.offer.seller, rate=Decimal("20"), price=price)

    # Margin 2 600 − 1 800 = 800 € TTC: VAT 800 − 800 / 1.2 = 133.33 €
    assert vat.amount == Decimal("133.33")
    assert vat.exemption == VatExemption.TRAVEL_MARGIN


def test_margin_vat_is_zero_on_a_loss_or_no_margin():
    assert margin_vat(total=Decimal("100"), cost=Decimal("100"), rate=Decimal("20")) == 0
    assert margin_vat(total=Decimal("100"), cost=Decimal("150"), rate=Decimal("20")) == 0
    assert margin_vat(total=Decimal("120"), cost=None, rate=Decimal("20")) == Decimal("20.00")


def test_a_seller_sells_trips_under_its_own_scheme(db):
    agency = make_seller("Agence Soleil")
    private = make_seller("Particulier", is_trader=False)
    price = booking_price(departure=make_trip(seller=agency), details={"adults": 1})

    standard = booking_vat(seller=agency, rate=Decimal("20"), price=price)
    none = booking_vat(seller=private, rate=Decimal("20"), price=price)

    assert (standard.amount, standard.exemption) == (Decimal("166.67"), "")
    assert (none.amount, none.exemption) == (Decimal("0.00"), VatExemption.PRIVATE_SALE)


def test_past_departures_closed_once_and_products_summaries_follow(operator):
    past = make_trip(seller=operator, starts_on=clock.localdate())
    future = make_trip(seller=operator, product=past.offer.product)
    product = past.offer.product
    product.refresh_from_db()
    assert product.offer_count == 2

    assert departures_close_past() == 1
    assert departures_close_past() == 0

    past.offer.refresh_from_db()
    future.offer.refresh_from_db()
    product.refresh_from_db()
    assert not past.offer.is_active and future.offer.is_active
    assert product.offer_count == 1 and product.in_stock
    assert Booking.objects.count() == 0

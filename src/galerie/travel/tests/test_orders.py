"""A trip through the order's life: quote, placement (booking, seats), payment (ledger under the
margin scheme), expiry (seats back)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client

from galerie.core import clock
from galerie.ledger import chart
from galerie.ledger.models import JournalLine
from galerie.orders.errors import OrderError
from galerie.orders.models import Order, OrderLine, OrderStatus
from galerie.orders.selectors import order_quote
from galerie.payments.refunds import orders_release_expired
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.pricing.models import VatExemption
from galerie.sellers.models import Offer
from galerie.testing.factories import make_offer, make_seller, make_trip
from galerie.travel.models import Booking, BookingStatus, Traveller
from galerie.travel.tests.conftest import travellers

pytestmark = pytest.mark.django_db

FAMILY = {"adults": 2, "children": 1, "options": ["single_room"]}


def _family(departure):
    return {**FAMILY, "travellers": travellers(2, 1, on=departure.starts_on)}


def _pay(order):
    payment = payment_start(order=order, method="transfer", return_url="/").payment
    payment_transfer_mark_received(payment=payment)
    order.refresh_from_db()
    return order


def test_quote_prices_a_trip_from_its_details(storefront, trip):
    quote = order_quote(
        storefront=storefront, lines=[(trip.offer_id, 3)], details={trip.offer_id: _family(trip)}
    )

    (line,) = quote.groups[0].lines
    # 2 × 1 000 + 600 + 250 (single room, per booking)
    assert (line.unit_price, line.line_total) == (Decimal("1000.00"), Decimal("2850.00"))
    assert line.vat_exemption == VatExemption.TRAVEL_MARGIN
    # Margin 2 850 − 1 800 = 1 050: VAT 175.00, owed by the operator, never shown.
    assert line.vat_amount == Decimal("175.00")
    assert quote.vat_total == 0 and quote.delivery_total == 0
    assert quote.can_order and not quote.problems


def test_quote_without_travellers_blocks_the_order(storefront, trip):
    quote = order_quote(
        storefront=storefront, lines=[(trip.offer_id, 3)], details={trip.offer_id: FAMILY}
    )
    assert [p.code for p in quote.problems] == ["travellers_required"]
    assert quote.total == Decimal("2850.00") and not quote.can_order


@pytest.mark.parametrize(
    ("quantity", "details", "code"),
    [
        (2, FAMILY, "bad_quantity"),
        (1, {"adults": 1, "options": ["spa"]}, "bad_details"),
    ],
)
def test_quote_refuses_bad_trip_details(storefront, trip, quantity, details, code):
    quote = order_quote(
        storefront=storefront, lines=[(trip.offer_id, quantity)], details={trip.offer_id: details}
    )
    assert [p.code for p in quote.problems] == [code] and not quote.can_order


def test_past_departure_is_not_bookable(storefront, operator, place):
    departure = make_trip(seller=operator, starts_on=clock.localdate())
    quote = order_quote(storefront=storefront, lines=[(departure.offer_id, 1)])
    assert [p.code for p in quote.problems] == ["departure_past"]

    with pytest.raises(OrderError) as exc:
        place([(departure.offer_id, 1)], details={departure.offer_id: _family(departure)})
    assert exc.value.code == "departure_past"
    assert Order.objects.count() == 0


def test_order_without_travellers_is_refused_and_nothing_changes(trip, place):
    with pytest.raises(OrderError) as exc:
        place([(trip.offer_id, 3)], details={trip.offer_id: FAMILY})
    assert exc.value.code == "travellers_required"
    assert Order.objects.count() == 0 and Booking.objects.count() == 0
    assert Offer.objects.get(pk=trip.offer_id).stock == 10


def test_placing_books_the_seats_and_the_travellers(trip, place):
    order = place([(trip.offer_id, 3)], details={trip.offer_id: _family(trip)})

    booking = Booking.objects.get(order_line__order=order)
    assert (booking.adults, booking.children, booking.options) == (2, 1, ["single_room"])
    assert booking.purchase_cost == Decimal("1800.00")
    assert booking.status == BookingStatus.PENDING
    assert Traveller.objects.filter(booking=booking).count() == 3
    assert Offer.objects.get(pk=trip.offer_id).stock == 7
    line = OrderLine.objects.get(order=order)
    assert line.details["travellers"][2]["kind"] == "child"
    assert order.total == Decimal("2850.00") and order.vat_total == 0


def test_unpaid_order_expiry_gives_the_seats_back(trip, place):
    order = place([(trip.offer_id, 3)], details={trip.offer_id: _family(trip)})

    released = orders_release_expired(now=clock.now() + dt.timedelta(days=1))

    assert released == 1
    assert Offer.objects.get(pk=trip.offer_id).stock == 10
    assert Booking.objects.get(order_line__order=order).status == BookingStatus.CANCELLED


def _posted(order, account):
    row = JournalLine.objects.filter(entry__order_id=order.pk, account__number=account).aggregate(
        d=Sum("debit"), c=Sum("credit")
    )
    return (row["d"] or Decimal("0.00"), row["c"] or Decimal("0.00"))


def test_paid_trip_posts_vat_on_the_margin_and_the_exact_cost(operator, place):
    # Costs that do not divide per seat: 2 × 700.01 + 400.00 = 1 800.02 for 3 seats.
    departure = make_trip(seller=operator, cost_adult="700.01")
    order = place([(departure.offer_id, 3)], details={departure.offer_id: _family(departure)})

    order = _pay(order)

    assert order.status == OrderStatus.PAID
    assert Booking.objects.get(order_line__order=order).status == BookingStatus.CONFIRMED
    line = OrderLine.objects.get(order=order)
    assert line.purchase_cost_total == Decimal("1800.02")
    # Margin 2 850 − 1 800.02 = 1 049.98: VAT 1 049.98 − 874.98 = 175.00
    assert _posted(order, chart.VAT_COLLECTED) == (Decimal("0.00"), Decimal("175.00"))
    assert _posted(order, chart.OWN_SALES) == (Decimal("0.00"), Decimal("2675.00"))
    assert _posted(order, chart.PURCHASES) == (Decimal("1800.02"), Decimal("0.00"))


def test_margin_scheme_invoice_shows_no_vat_but_the_mention(trip, place):
    order = _pay(place([(trip.offer_id, 3)], details={trip.offer_id: _family(trip)}))
    client = Client()
    session = client.session
    session["orders"] = [str(order.public_id)]
    session.save()
    seller_order = order.seller_orders.get()

    html = client.get(f"/commandes/{order.public_id}/facture/{seller_order.pk}/").content.decode()
    page = client.get(order.get_absolute_url()).content.decode()

    assert "Régime particulier – Agences de voyages" in html
    assert "175,00" not in html and "2\u202f675,00" not in html and "2 675,00" not in html
    assert "Régime particulier – Agences de voyages" in page and "175,00" not in page
    api = client.get(f"/api/orders/{order.public_id}").json()
    assert Decimal(api["seller_orders"][0]["lines"][0]["vat_amount"]) == 0
    assert Decimal(api["vat_total"]) == 0


def test_trip_sold_by_a_seller_carries_standard_vat(storefront, place):
    agency = make_seller("Agence Soleil")
    departure = make_trip(seller=agency)
    order = place(
        [(departure.offer_id, 1)],
        details={departure.offer_id: {"adults": 1, "travellers": travellers(1)}},
    )
    line = OrderLine.objects.get(order=order)
    assert (line.vat_rate, line.vat_amount, line.vat_exemption) == (
        Decimal("20.00"),
        Decimal("166.67"),
        "",
    )
    assert order.vat_total == Decimal("166.67")


def test_trip_and_book_from_the_operator_charge_delivery_on_the_book_only(trip, place):
    operator = trip.offer.seller
    book = make_offer(seller=operator, price="20.00", delivery_price="3.00")
    order = place(
        [(trip.offer_id, 1), (book.pk, 1)],
        details={trip.offer_id: {"adults": 1, "travellers": travellers(1)}},
    )
    seller_order = order.seller_orders.get()
    assert seller_order.delivery_fee == Decimal("3.00")
    assert [Decimal(p["rate"]) for p in seller_order.delivery_vat] == [Decimal("20")]
    assert not any(p.get("exemption") for p in seller_order.delivery_vat)


def test_the_confirmation_email_of_a_trip_announces_no_parcel_and_no_withdrawal(
    place, trip, django_capture_on_commit_callbacks
):
    from django.core import mail

    from galerie.travel.tests.conftest import travellers

    with django_capture_on_commit_callbacks(execute=True):
        place(
            [(trip.offer_id, 2)],
            details={trip.offer_id: {"adults": 2, "travellers": travellers(2)}},
        )
    body = mail.outbox[-1].body
    assert "Vendu par" in body and "livraison estimée" not in body
    assert "pas de droit de rétractation" in body

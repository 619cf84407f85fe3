"""Paid trip orders for tests, built through the real services (order_place with travellers, a
transfer marked received); the booking is the one placement created."""

import datetime as dt
from decimal import Decimal

from galerie.core import clock
from galerie.orders.services import order_place
from galerie.orders.tests.conftest import ADDRESS
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.sellers.models import Offer, Seller
from galerie.testing.factories import make_category, make_product, make_seller
from galerie.travel.models import Departure, TravelPackage
from galerie.travel.tests.conftest import travellers

_keys = iter(range(1, 1_000_000))


def make_departure(
    *,
    seller=None,
    price="1000.00",
    seats=10,
    days_ahead=60,
    purchase_cost=None,
    tiers=None,
    category=None,
) -> Departure:
    seller = (
        seller
        or Seller.objects.filter(is_operator=True).first()
        or make_seller("Galerie Voyages", is_operator=True)
    )
    product = make_product("Croisière sur le Nil", category=category or make_category("Voyages"))
    TravelPackage.objects.create(
        product=product, destination="Égypte", **({"cancellation_tiers": tiers} if tiers else {})
    )
    offer = Offer.objects.create(
        product=product,
        seller=seller,
        price=Decimal(price),
        stock=seats,
        purchase_cost=Decimal(purchase_cost) if purchase_cost else None,
    )
    return Departure.objects.create(
        offer=offer,
        starts_on=clock.localdate() + dt.timedelta(days=days_ahead),
        duration_days=8,
        capacity=seats,
        cost_adult=Decimal(purchase_cost) if purchase_cost else None,
    )


def place_trip(*, storefront, departure, adults=2, email="client@example.fr", user=None, pay=True):
    """An order for `adults` seats of `departure`, paid by transfer when `pay`, and its Booking."""
    order = order_place(
        storefront=storefront,
        email=email,
        user=user,
        lines=[(departure.offer_id, adults)],
        delivery_choices={},
        shipping_address=ADDRESS,
        billing_address=ADDRESS,
        idempotency_key=f"trip-{next(_keys)}",
        details={departure.offer_id: {"adults": adults, "travellers": travellers(adults)}},
    )
    booking = order.lines.get().booking
    if pay:
        start = payment_start(order=order, method="transfer", return_url="/")
        payment_transfer_mark_received(payment=start.payment)
        booking.refresh_from_db()
    order.refresh_from_db()
    return order, booking

"""Reads about trips that pages share: a product's bookable departures and its options."""

from __future__ import annotations

from django.db.models import QuerySet

from galerie.core import clock
from galerie.sellers.selectors import offers_purchasable
from galerie.travel.models import Departure, TravelOption


def departures_bookable() -> QuerySet[Departure]:
    """Departures on sale: after today (a trip leaving today is no longer booked, and past ones
    disappear even before the daily task takes their offers off sale), offer purchasable."""
    return Departure.objects.filter(
        starts_on__gt=clock.localdate(),
        offer__in=offers_purchasable().filter(product__is_active=True),
    ).order_by("starts_on", "pk")


def departures_of_product(product_id: int) -> list[Departure]:
    """A product's bookable departures, soonest first, with their offer and seller."""
    return list(
        departures_bookable().filter(offer__product_id=product_id).select_related("offer__seller")
    )


def options_of_product(product_id: int) -> list[TravelOption]:
    return list(TravelOption.objects.filter(product_id=product_id))

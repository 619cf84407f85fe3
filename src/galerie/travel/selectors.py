"""Reads about trips that pages, the API and services share: a product's bookable departures
and options, fee schedules and what cancelling a booking would cost."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from galerie.core import clock
from galerie.sellers.selectors import offers_purchasable
from galerie.travel.cancellation import (
    ScheduleRow,
    booking_cancellable,
    cancellation_fee,
    cancellation_schedule_rows,
)
from galerie.travel.models import (
    Booking,
    BookingStatus,
    Departure,
    TravelOption,
    TravelPackage,
    default_cancellation_tiers,
)


@dataclass(frozen=True)
class CancellationQuote:
    """What cancelling `booking` on `on` would cost: the fee kept and the refund, on the line's
    total as paid (options included). `cancellable` False: cancelled already or departure day."""

    booking: Booking
    on: dt.date
    total: Decimal
    percent: int
    fee: Decimal
    refund: Decimal
    cancellable: bool
    schedule: list[ScheduleRow]


def departure_tiers(departure: Departure) -> list[dict]:
    """A departure's fee schedule: its package's (the product's TravelPackage), or the default."""
    package = TravelPackage.objects.filter(product_id=departure.offer.product_id).first()
    return package.cancellation_tiers if package else default_cancellation_tiers()


def departure_schedule_rows(departure: Departure) -> list[ScheduleRow]:
    return cancellation_schedule_rows(
        departure_on=departure.starts_on, tiers=departure_tiers(departure)
    )


def booking_cancellation_quote(*, booking: Booking, on: dt.date | None = None) -> CancellationQuote:
    on = on or clock.localdate()
    tiers = departure_tiers(booking.departure)
    departure_on = booking.departure.starts_on
    total = booking.order_line.line_total
    percent, fee = cancellation_fee(
        booking_total=total, departure_on=departure_on, cancel_on=on, tiers=tiers
    )
    return CancellationQuote(
        booking=booking,
        on=on,
        total=total,
        percent=percent,
        fee=fee,
        refund=total - fee,
        cancellable=booking.status != BookingStatus.CANCELLED
        and booking_cancellable(departure_on=departure_on, cancel_on=on),
        schedule=cancellation_schedule_rows(departure_on=departure_on, tiers=tiers),
    )


@dataclass(frozen=True)
class TripSchedule:
    title: str
    departure: Departure
    schedule: list[ScheduleRow]


def offers_trip_schedules(offer_ids) -> list[TripSchedule]:
    """The cancellation schedule of each offer among `offer_ids` that is a departure, in the
    order given: one query, a second only when there are trips (the checkout recap)."""
    ids = list(dict.fromkeys(offer_ids))
    departures = {
        d.offer_id: d
        for d in Departure.objects.filter(offer_id__in=ids).select_related("offer__product")
    }
    if not departures:
        return []
    tiers = dict(
        TravelPackage.objects.filter(
            product_id__in={d.offer.product_id for d in departures.values()}
        ).values_list("product_id", "cancellation_tiers")
    )
    return [
        TripSchedule(
            title=departures[pk].offer.product.title,
            departure=departures[pk],
            schedule=cancellation_schedule_rows(
                departure_on=departures[pk].starts_on,
                tiers=tiers.get(departures[pk].offer.product_id) or default_cancellation_tiers(),
            ),
        )
        for pk in ids
        if pk in departures
    ]


def departures_bookable(product_ids: list[int]) -> QuerySet[Departure]:
    """Departures on sale of `product_ids`: after today (a trip leaving today is no longer
    booked, and past ones disappear even before the daily task takes their offers off sale),
    offer purchasable. The purchasable offers are those of these products only: a subquery over
    every purchasable offer of the mall cost 0.4–0.6 s at 100,000 products."""
    return Departure.objects.filter(
        starts_on__gt=clock.localdate(),
        offer__in=offers_purchasable().filter(product_id__in=product_ids, product__is_active=True),
    ).order_by("starts_on", "pk")


def departures_of_product(product_id: int) -> list[Departure]:
    """A product's bookable departures, soonest first, with their offer and seller."""
    return list(departures_bookable([product_id]).select_related("offer__seller"))


def next_departures(product_ids) -> dict[int, Departure]:
    """The soonest bookable departure of each of `product_ids` that is a trip (one query): what
    a listing card shows of a trip (date, seats left, adult fare)."""
    ids = list(product_ids)
    if not ids:
        return {}
    soonest: dict[int, Departure] = {}
    for departure in departures_bookable(ids).select_related("offer"):
        soonest.setdefault(departure.offer.product_id, departure)
    return soonest


def options_of_product(product_id: int) -> list[TravelOption]:
    return list(TravelOption.objects.filter(product_id=product_id))

"""Reads of the travel domain shared by pages, API and services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from galerie.core import clock
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

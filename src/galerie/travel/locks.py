"""Every row lock of the travel domain, in one place.

Lock order: the booking's Order first (galerie.orders.locks.order_lock, taken by the caller), then
the Booking row, then offers (seats) by pk through galerie.inventory.services.
"""

from galerie.travel.models import Booking


def booking_lock(booking_id: int) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("departure", "order_line")
        .get(pk=booking_id)
    )

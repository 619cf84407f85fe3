"""Travel errors, each with a stable code the API returns."""

from galerie.core.errors import DomainError


class BookingError(DomainError):
    code = "booking_invalid"

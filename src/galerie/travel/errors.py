"""Travel errors, each with a stable code the API returns (status codes for HTTP)."""

from galerie.core.errors import DomainError


class TravelError(DomainError):
    code = "travel_error"


class BookingNotPaid(TravelError):
    code = "booking_not_paid"
    status = 409


class BookingAlreadyCancelled(TravelError):
    code = "booking_already_cancelled"
    status = 409


class DeparturePassed(TravelError):
    code = "departure_passed"
    status = 409


class BookingError(DomainError):
    code = "booking_invalid"

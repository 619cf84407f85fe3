"""Return errors, each with a stable code that the API returns."""

from galerie.core.errors import DomainError


class ReturnError(DomainError):
    code = "return_invalid"


class ReturnNotAllowed(ReturnError):
    """The line cannot be returned this way (period over, legal exception, private seller)."""

    code = "return_not_allowed"


class ReturnQuantity(ReturnError):
    code = "return_quantity"


class ReturnTransition(ReturnError):
    code = "return_invalid_transition"
    status = 409

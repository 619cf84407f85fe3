from galerie.core.errors import DomainError


class TooManyLoginAttempts(DomainError):
    code = "too_many_login_attempts"
    status = 429


class InvalidAddress(DomainError):
    """A postal address refused by accounts.addresses (form, API, order_place, address book)."""

    code = "invalid_address"

from galerie.core.errors import DomainError


class InvalidAddress(DomainError):
    """A postal address refused by accounts.addresses (form, API, order_place, address book)."""

    code = "invalid_address"

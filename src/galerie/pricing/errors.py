"""Pricing errors, each with a stable code returned by the API."""

from galerie.core.errors import DomainError


class PricingError(DomainError):
    code = "pricing_error"


class BookPriceError(PricingError):
    """A new book's price outside the range allowed by the loi Lang."""

    code = "book_price_law"


class TaxRateMissing(PricingError):
    code = "tax_rate_missing"
    status = 500

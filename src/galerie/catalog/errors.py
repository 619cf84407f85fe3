"""Catalogue errors, each with a stable code the API returns."""

from galerie.core.errors import DomainError


class ProductError(DomainError):
    code = "product_invalid"

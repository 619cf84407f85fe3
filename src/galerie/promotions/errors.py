"""Promotion and voucher errors, each with a stable code returned by the API."""

from galerie.core.errors import DomainError


class PromotionError(DomainError):
    code = "promotion_invalid"

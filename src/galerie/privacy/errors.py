"""Errors of the personal-data services, each with a stable code."""

from galerie.core.errors import DomainError


class PrivacyError(DomainError):
    code = "privacy_error"


class ErasureRefused(PrivacyError):
    """The account cannot be erased now (an order still open, a staff account…)."""

    code = "erasure_refused"
    status = 409

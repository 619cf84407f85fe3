"""Invoicing errors, each with a stable code the API returns."""

from galerie.core.errors import DomainError


class InvoicingError(DomainError):
    code = "invoicing_error"


class NoOperator(InvoicingError):
    """The operator has no Seller row: it cannot issue its own invoices."""

    code = "no_operator"
    status = 409

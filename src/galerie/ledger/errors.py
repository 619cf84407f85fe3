"""Ledger errors: a refused entry says why, with a stable code, and nothing is written."""

from galerie.core.errors import DomainError


class LedgerError(DomainError):
    code = "ledger_invalid"

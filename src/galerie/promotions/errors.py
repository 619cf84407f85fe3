"""Promotion and voucher errors, each with a stable code returned by the API."""

from galerie.core.errors import DomainError


class PromotionError(DomainError):
    code = "promotion_invalid"


class VoucherError(DomainError):
    code = "voucher_invalid"
    status = 409


class VoucherUnknown(VoucherError):
    code = "voucher_unknown"
    status = 400


class VoucherExpired(VoucherError):
    code = "voucher_expired"


class VoucherExhausted(VoucherError):
    code = "voucher_exhausted"


class VoucherCustomerLimit(VoucherError):
    code = "voucher_customer_limit"


class VoucherNotApplicable(VoucherError):
    code = "voucher_not_applicable"

from galerie.core.errors import DomainError


class CheckoutError(DomainError):
    code = "checkout_error"


class CheckoutIncomplete(CheckoutError):
    code = "checkout_incomplete"


class InvalidPaymentMethod(CheckoutError):
    code = "invalid_payment_method"

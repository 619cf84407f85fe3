"""Payment errors, each with a stable code returned by the API."""

from galerie.core.errors import DomainError


class PaymentError(DomainError):
    code = "payment_error"


class OrderNotPayable(PaymentError):
    code = "order_not_payable"
    status = 409


class UnknownPaymentMethod(PaymentError):
    code = "unknown_payment_method"


class WebhookRejected(PaymentError):
    code = "webhook_rejected"

"""Order errors, each with a stable code the API returns (status codes for HTTP)."""

from django.utils.translation import gettext as _

from galerie.accounts.errors import InvalidAddress  # noqa: F401  (raised by order_place)
from galerie.core.errors import DomainError
from galerie.orders.limits import LINE_QUANTITY_MAX


def line_quantity_message() -> str:
    """The refusal of a line quantity out of 1…LINE_QUANTITY_MAX (cart and order alike)."""
    return _("La quantité doit être comprise entre 1 et %(max)d.") % {"max": LINE_QUANTITY_MAX}


class OrderError(DomainError):
    code = "order_error"


class EmptyOrder(OrderError):
    code = "empty_order"


class OfferUnavailable(OrderError):
    code = "offer_unavailable"
    status = 409


class OutOfStockError(OrderError):
    code = "out_of_stock"
    status = 409


class PriceChanged(OrderError):
    code = "price_changed"
    status = 409


class IdempotencyConflict(OrderError):
    code = "idempotency_conflict"
    status = 409


class InvalidDelivery(OrderError):
    code = "invalid_delivery"


class OrderTooLarge(OrderError):
    code = "order_too_large"


class InvalidTransition(OrderError):
    code = "invalid_transition"
    status = 409


class RefundError(OrderError):
    code = "refund_invalid"


class OrderLinkExpired(OrderError):
    """A guest's signed order link is older than GALERIE_ORDER_LINK_DAYS."""

    code = "order_link_expired"
    status = 403


class OrderLinkInvalid(OrderError):
    """A signed order link that this server did not issue for this order (tampered, foreign)."""

    code = "order_link_invalid"
    status = 403

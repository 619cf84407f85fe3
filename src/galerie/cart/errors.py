"""Cart errors: a stable code for the API, a French message for people."""

from galerie.core.errors import DomainError, NotFound


class CartError(DomainError):
    code = "cart_error"


class NotEnoughStock(CartError):
    code = "not_enough_stock"
    status = 409


class OfferNotPurchasable(CartError):
    code = "offer_unavailable"


class InvalidQuantity(CartError):
    code = "invalid_quantity"


class CartLineNotFound(NotFound):
    code = "cart_line_not_found"


class InvalidDetails(CartError):
    code = "invalid_details"

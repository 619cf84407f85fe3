"""Inventory errors, each with a stable code returned by the API."""

from galerie.core.errors import DomainError


class InventoryError(DomainError):
    code = "inventory_error"


class OutOfStock(InventoryError):
    code = "out_of_stock"
    status = 409

    def __init__(self, message: str, *, offer_id: int | None = None, available: int = 0):
        super().__init__(message)
        self.offer_id = offer_id
        self.available = available

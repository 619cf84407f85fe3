"""Pricing's bounds, written once: VAT rates and the sellers' delivery methods. The models'
validators and CHECK constraints read them, and so do the portal's delivery form and service.
"""

from decimal import Decimal

from galerie.catalog.limits import PRICE_MAX

# A delivery fee (a method's, or an offer's own delivery price) is at most 1,000 €.
DELIVERY_FEE_MAX = Decimal("1000.00")
DELIVERY_DAYS_MAX = 90
# (min, max) per field.
TAX_RATE_BOUNDS: dict[str, tuple[Decimal, Decimal]] = {
    "rate": (Decimal("0.00"), Decimal("99.99")),
}
DELIVERY_BOUNDS: dict[str, tuple[Decimal | int, Decimal | int]] = {
    "fee": (Decimal("0.00"), DELIVERY_FEE_MAX),
    "fee_per_kg": (Decimal("0.00"), Decimal("100.00")),
    "free_above": (Decimal("0.00"), PRICE_MAX),
    "delivery_days_min": (0, DELIVERY_DAYS_MAX),
    "delivery_days_max": (0, DELIVERY_DAYS_MAX),
    "position": (0, 1000),
}

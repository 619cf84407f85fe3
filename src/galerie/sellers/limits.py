"""The offer's bounds, written once: the model's validators and CHECK constraints read them, and so
do the API schemas, the portal's forms, the bulk update and the feed import. A module with no
Django model in it, so that the feed reader's spawned process can import it before Django is set up.
"""

from decimal import Decimal

OFFER_PRICE_MIN = Decimal("0.01")
OFFER_PRICE_MAX = Decimal("1000000.00")
OFFER_DELIVERY_PRICE_MAX = Decimal("1000.00")
OFFER_STOCK_MAX = 1_000_000
OFFER_LEAD_TIME_MAX_DAYS = 365
# (min, max) per field, for the services' range check and its error naming the field.
OFFER_BOUNDS: dict[str, tuple[Decimal | int, Decimal | int]] = {
    "price": (OFFER_PRICE_MIN, OFFER_PRICE_MAX),
    "delivery_price": (Decimal("0.00"), OFFER_DELIVERY_PRICE_MAX),
    "stock": (0, OFFER_STOCK_MAX),
    "lead_time_days": (0, OFFER_LEAD_TIME_MAX_DAYS),
}

"""The offer's and the commission rules' bounds, written once: the models' validators and CHECK
constraints read them, and so do the API schemas, the portal's forms, the bulk update and the feed
import. A module with no Django model in it, so that the feed reader's spawned process can import
it before Django is set up.
"""

from decimal import Decimal

from galerie.catalog.limits import PRICE_MAX, PRICE_MIN
from galerie.pricing.limits import DELIVERY_FEE_MAX

OFFER_PRICE_MIN = PRICE_MIN
OFFER_PRICE_MAX = PRICE_MAX
OFFER_DELIVERY_PRICE_MAX = DELIVERY_FEE_MAX
OFFER_STOCK_MAX = 1_000_000
OFFER_LEAD_TIME_MAX_DAYS = 365
# (min, max) per field, for the services' range check and its error naming the field.
OFFER_BOUNDS: dict[str, tuple[Decimal | int, Decimal | int]] = {
    "price": (OFFER_PRICE_MIN, OFFER_PRICE_MAX),
    "delivery_price": (Decimal("0.00"), OFFER_DELIVERY_PRICE_MAX),
    "stock": (0, OFFER_STOCK_MAX),
    "lead_time_days": (0, OFFER_LEAD_TIME_MAX_DAYS),
    "purchase_cost": (Decimal("0.00"), OFFER_PRICE_MAX),
}
# The operator's commission: a percentage of the line and a fixed fee per line.
COMMISSION_BOUNDS: dict[str, tuple[Decimal, Decimal]] = {
    "rate": (Decimal("0.00"), Decimal("100.00")),
    "fixed_fee": (Decimal("0.00"), Decimal("1000.00")),
}

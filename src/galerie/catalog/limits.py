"""The catalogue's bounds, written once: the models' validators and CHECK constraints read them,
and so do the portal's product form, the admin (through the models) and the feed import. A module
with no Django model in it, so that the feed reader's spawned process can import it.
"""

from decimal import Decimal

# The highest price anything in the catalogue carries (an offer, a publisher's price, a
# product's price summary), well inside a money column's 12 digits.
PRICE_MIN = Decimal("0.01")
PRICE_MAX = Decimal("1000000.00")
# (min, max) per field.
PRODUCT_BOUNDS: dict[str, tuple[Decimal | int, Decimal | int]] = {
    "publisher_price": (PRICE_MIN, PRICE_MAX),
    # One shipped unit: a gram to a tonne (a washing machine is ~80 kg).
    "weight_kg": (Decimal("0.001"), Decimal("1000.000")),
    # The summary of the product's offers: offer prices, so the same range.
    "best_price": (PRICE_MIN, PRICE_MAX),
    "price_new": (PRICE_MIN, PRICE_MAX),
    "price_refurbished": (PRICE_MIN, PRICE_MAX),
    "price_used": (PRICE_MIN, PRICE_MAX),
}
# Display order of categories and of a product type's attributes.
POSITION_BOUNDS: dict[str, tuple[int, int]] = {"position": (0, 1000)}

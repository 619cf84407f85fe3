"""A product's summary of its offers, as listings and cards show it, computed in one place.

The offer services, the demo loader and the feed import all derive `Product`'s summary columns
from this function, so a card, a listing filter and the product page never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# Price ranges of the listing filter: (key in the URL, lower bound included, upper bound
# excluded), euros TTC, applied to each purchasable offer's price.
PRICE_RANGES: list[tuple[str, Decimal | None, Decimal | None]] = [
    ("0-10", None, Decimal("10")),
    ("10-20", Decimal("10"), Decimal("20")),
    ("20-50", Decimal("20"), Decimal("50")),
    ("50-100", Decimal("50"), Decimal("100")),
    ("100-200", Decimal("100"), Decimal("200")),
    ("200-500", Decimal("200"), Decimal("500")),
    ("500-1000", Decimal("500"), Decimal("1000")),
    ("1000-", Decimal("1000"), None),
]
PRICE_BOUNDS = {key: (lo, hi) for key, lo, hi in PRICE_RANGES}

# Offer conditions, in the order of the offer masks' bits (galerie.sellers.models.Condition
# gives them their labels; a test keeps the two in step).
OFFER_CONDITIONS = ("new", "refurbished", "used")
_RANGE_INDEX = {key: i for i, (key, _lo, _hi) in enumerate(PRICE_RANGES)}
_CONDITION_INDEX = {condition: i for i, condition in enumerate(OFFER_CONDITIONS)}

SUMMARY_FIELDS = (
    "best_price",
    "offer_count",
    "in_stock",
    "price_new",
    "price_refurbished",
    "price_used",
    "offer_facets",
)


def price_range_key(price: Decimal) -> str:
    for key, lo, hi in PRICE_RANGES:
        if (lo is None or price >= lo) and (hi is None or price < hi):
            return key
    return PRICE_RANGES[-1][0]


@dataclass(frozen=True)
class OfferFacts:
    """What the summary needs of one offer. `visible` and `purchasable` are the sellers' own
    rule (`galerie.sellers.models.offer_visible`, `offer_purchasable`), computed by the caller."""

    price: Decimal
    condition: str
    seller_id: int
    visible: bool
    purchasable: bool


def product_summary(offers: Iterable[OfferFacts]) -> dict:
    """Summary columns of a product from its offers (see SUMMARY_FIELDS).

    Purchasable = visible and in stock. `offer_count` counts purchasable offers, or the visible
    ones when none is in stock (a sold-out storefront card says how many sellers list it).
    """
    offers = list(offers)
    visible = [o for o in offers if o.visible]
    buyable = [o for o in offers if o.purchasable]

    def cheapest(condition: str) -> Decimal | None:
        return min((o.price for o in buyable if o.condition == condition), default=None)

    facets = sorted({(o.condition, o.seller_id, price_range_key(o.price)) for o in buyable})
    return {
        "best_price": min((o.price for o in buyable), default=None),
        "offer_count": len(buyable) or len(visible),
        "in_stock": bool(buyable),
        "price_new": cheapest("new"),
        "price_refurbished": cheapest("refurbished"),
        "price_used": cheapest("used"),
        "offer_facets": offer_facets_text(facets),
    }


def offer_facets_text(facets: Iterable[tuple[str, int, str]]) -> str:
    """(condition, seller id, price range) triples as stored in `Product.offer_facets`."""
    return " ".join(sorted(f"{condition}:{price}:{seller}" for condition, seller, price in facets))


def offer_facets_parse(text: str) -> list[tuple[str, str, int]]:
    """`Product.offer_facets` back to (condition, price range, seller id) triples."""
    triples = []
    for token in text.split():
        condition, price, seller = token.split(":")
        triples.append((condition, price, int(seller)))
    return triples


# --- offer masks ---------------------------------------------------------------------------
# A mask is a set of (condition, price range) pairs, one bit each: what the precomputed facet
# counts store per product (and per product and seller), so that a listing filtered on condition
# and price counts its products exactly from a few rows per category (galerie.catalog.facets).


def offer_pair_bit(condition: str, price_range: str) -> int:
    return 1 << (_CONDITION_INDEX[condition] * len(PRICE_RANGES) + _RANGE_INDEX[price_range])


def offer_masks(triples: Iterable[tuple[str, str, int]]) -> tuple[int, dict[int, int]]:
    """The mask of (condition, price range, seller id) triples, and each seller's own mask."""
    mask, by_seller = 0, {}
    for condition, price_range, seller in triples:
        bit = offer_pair_bit(condition, price_range)
        mask |= bit
        by_seller[seller] = by_seller.get(seller, 0) | bit
    return mask, by_seller


def offer_filter_mask(*, conditions: Iterable[str] = (), price_ranges: Iterable[str] = ()) -> int:
    """The pairs an offer may have to match these conditions and price ranges (an empty group
    allows every value)."""
    conditions = list(conditions) or list(OFFER_CONDITIONS)
    price_ranges = list(price_ranges) or list(_RANGE_INDEX)
    mask = 0
    for condition in conditions:
        for price_range in price_ranges:
            mask |= offer_pair_bit(condition, price_range)
    return mask


def offer_facets_patterns(
    *, conditions: Iterable[str], price_ranges: Iterable[str], sellers: Iterable[int]
) -> list[tuple[str, str]]:
    """(lookup, text) pairs, `contains` or `endswith` on `offer_facets`, any of which holds iff
    one token matches a selected value of every non-empty group: the product has one
    purchasable offer with a selected condition, price range and seller ([] when no group is).

    A token is "condition:range:seller". No range or seller id holds a letter, no condition
    a digit, and the range sits between two colons, so "new:10-20:", "new:", ":10-20:" can
    only match at their place in a token; a seller id ends its token (a space or the end).
    A wildcard inside a pattern could span two tokens, so a condition with sellers but no range
    lists every range.
    """
    conditions, price_ranges, sellers = list(conditions), list(price_ranges), list(sellers)
    if conditions and price_ranges:
        heads = [f"{c}:{p}:" for c in conditions for p in price_ranges]
    elif conditions:
        heads = (
            [f"{c}:{p}:" for c in conditions for p in _RANGE_INDEX]
            if sellers
            else [f"{c}:" for c in conditions]
        )
    elif price_ranges:
        heads = [f":{p}:" for p in price_ranges]
    else:
        heads = [":"] if sellers else []
    if not sellers:
        return [("contains", head) for head in heads]
    patterns = []
    for head in heads:
        for seller in sellers:
            patterns += [("endswith", f"{head}{seller}"), ("contains", f"{head}{seller} ")]
    return patterns

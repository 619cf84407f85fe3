"""What a shopper selected, cleaned, and the one rule of what it means.

Condition, price and seller describe one offer: a product matches them together only through
one purchasable offer that satisfies all of them (a used copy at 5 € and a new one at 14 € do
not make "new, under 10 €"). Attribute filters describe the product.

What a product's purchasable offers are is stored with its summary, in the same transaction as
every offer change: `offer_facets`, one (condition, price range, seller) token per combination
(galerie.catalog.summary). Listings match offer-level filters on it, in SQL (`LIKE` patterns on
the column: no probe of the offers per product scanned) and in Python for a search's candidates
(`OfferWanted`). A selection needing too many patterns falls back to an `EXISTS` on the offers
themselves. The property test in galerie/catalog/tests/test_facets.py holds all three to a
brute-force count over the offers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from galerie.catalog.models import AttributeValue
from galerie.catalog.summary import PRICE_BOUNDS, offer_facets_patterns, offer_filter_mask
from galerie.sellers.models import Condition, Seller, SellerStatus
from galerie.sellers.selectors import offers_purchasable
from galerie.storefronts.listing.catalogue import facet_attribute_groups
from galerie.storefronts.listing.params import (
    CONDITION_PARAM,
    OFFER_PARAMS,
    PRICE_PARAM,
    SELLER_PARAM,
    clean_values,
)

# Above this many `LIKE` patterns (a selection of many sellers, ranges and conditions at once),
# offer-level filters probe the offers instead.
MAX_OFFER_PATTERNS = 24

# Positions in the (condition, price range, seller id) triples of `offer_facets`.
_CONDITION, _PRICE, _SELLER = 0, 1, 2
_GROUP_POSITION = {CONDITION_PARAM: _CONDITION, PRICE_PARAM: _PRICE, SELLER_PARAM: _SELLER}


@dataclass(frozen=True)
class OfferWanted:
    """The selected offer-level values; an empty group allows any value."""

    conditions: frozenset[str] = frozenset()
    price_ranges: frozenset[str] = frozenset()
    sellers: frozenset[int] = frozenset()

    @property
    def any(self) -> bool:
        return bool(self.conditions or self.price_ranges or self.sellers)

    def matches(self, triple: tuple[str, str, int], skip: str | None = None) -> bool:
        """Whether one offer's triple matches every selected group but `skip`."""
        for param, position in _GROUP_POSITION.items():
            wanted = self._values(param)
            if param != skip and wanted and triple[position] not in wanted:
                return False
        return True

    def _values(self, param: str) -> frozenset:
        if param == CONDITION_PARAM:
            return self.conditions
        if param == PRICE_PARAM:
            return self.price_ranges
        return self.sellers

    def mask(self, *, conditions=None, price_ranges=None) -> int:
        """The (condition, price range) pairs an offer may have (galerie.catalog.summary),
        optionally with one group's values replaced."""
        return offer_filter_mask(
            conditions=self.conditions if conditions is None else conditions,
            price_ranges=self.price_ranges if price_ranges is None else price_ranges,
        )


@dataclass(frozen=True)
class Selection:
    """Filters that exist, by URL parameter, in the order given; sellers by slug → id."""

    values: dict[str, list[str]] = field(default_factory=dict)
    seller_ids: dict[str, int] = field(default_factory=dict)

    @property
    def attributes(self) -> dict[str, list[str]]:
        return {p: v for p, v in self.values.items() if p not in OFFER_PARAMS}

    @property
    def offers(self) -> OfferWanted:
        return OfferWanted(
            conditions=frozenset(self.values.get(CONDITION_PARAM, ())),
            price_ranges=frozenset(self.values.get(PRICE_PARAM, ())),
            sellers=frozenset(self.seller_ids[s] for s in self.values.get(SELLER_PARAM, ())),
        )

    def product_filters(self, *, skip_attribute: str | None = None, offers: bool = True):
        """Conditions on products: each selected attribute group (but `skip_attribute`) and, if
        `offers`, one purchasable offer matching every selected offer-level group."""
        conditions = [
            _attribute_q(param, values)
            for param, values in self.attributes.items()
            if param != skip_attribute
        ]
        if offers:
            wanted = self.offers
            patterns = offer_facets_patterns(
                conditions=sorted(wanted.conditions),
                price_ranges=sorted(wanted.price_ranges),
                sellers=sorted(wanted.sellers),
            )
            if len(patterns) > MAX_OFFER_PATTERNS:
                matching = offers_purchasable().filter(
                    _offer_q(self.values, self.seller_ids), product=OuterRef("pk")
                )
                conditions.append(Q(Exists(matching)))
            elif patterns:
                either = Q()
                for lookup, text in patterns:
                    either |= Q(**{f"offer_facets__{lookup}": text})
                conditions.append(either)
        return conditions

    def price_ceiling(self) -> list[Q]:
        """A condition the price filter implies (the cheapest offer costs no more than the one
        in range): a listing sorted by price reads the price index up to it, or from it down.
        Only for those sorts: given it, SQLite chose the price index for any order and sorted
        a whole subtree."""
        highs = [PRICE_BOUNDS[key][1] for key in self.values.get(PRICE_PARAM, ())]
        if not highs or None in highs:
            return []
        return [Q(best_price__lt=max(highs))]


def selection_from(filters) -> Selection:
    """Keep only known parameters and values that exist; unknown ones are silently dropped."""
    groups = facet_attribute_groups()
    clean: dict[str, list[str]] = {}
    seller_ids: dict[str, int] = {}
    prices = [v for v in clean_values(_get(filters, PRICE_PARAM)) if v in PRICE_BOUNDS]
    if prices:
        clean[PRICE_PARAM] = prices
    conditions = [v for v in clean_values(_get(filters, CONDITION_PARAM)) if v in Condition.values]
    if conditions:
        clean[CONDITION_PARAM] = conditions
    sellers = clean_values(_get(filters, SELLER_PARAM))
    if sellers:
        seller_ids = dict(
            Seller.objects.filter(slug__in=sellers, status=SellerStatus.VERIFIED).values_list(
                "slug", "pk"
            )
        )
        sellers = [s for s in sellers if s in seller_ids]
        if sellers:
            clean[SELLER_PARAM] = sellers
    wanted = {param: clean_values(_get(filters, param)) for param in groups if param in filters}
    wanted = {p: v for p, v in wanted.items() if v}
    if wanted:
        condition = Q()
        for param, values in wanted.items():
            condition |= Q(attribute_id__in=groups[param].attribute_ids, facet_value__in=values)
        existing = set(
            AttributeValue.objects.filter(condition)
            .values_list("attribute_id", "facet_value")
            .distinct()
        )
        for param, values in wanted.items():
            ids = groups[param].attribute_ids
            kept = [v for v in values if any((i, v) in existing for i in ids)]
            if kept:
                clean[param] = kept
    return Selection(clean, seller_ids)


def _get(filters, param: str):
    if hasattr(filters, "getlist"):
        return filters.getlist(param)
    return filters.get(param)


def _price_q(keys: list[str], field: str = "price") -> Q:
    q = Q()
    for key in keys:
        lo, hi = PRICE_BOUNDS[key]
        part = Q()
        if lo is not None:
            part &= Q(**{f"{field}__gte": lo})
        if hi is not None:
            part &= Q(**{f"{field}__lt": hi})
        q |= part
    return q


def _offer_q(clean: dict[str, list[str]], seller_ids: dict[str, int]) -> Q:
    """What one offer must be to match the selected offer-level groups."""
    q = Q()
    if PRICE_PARAM in clean:
        q &= _price_q(clean[PRICE_PARAM])
    if CONDITION_PARAM in clean:
        q &= Q(condition__in=clean[CONDITION_PARAM])
    if SELLER_PARAM in clean:
        q &= Q(seller_id__in=sorted(seller_ids[s] for s in clean[SELLER_PARAM]))
    return q


def _attribute_q(param: str, values: list[str]) -> Q:
    # IN, not a correlated EXISTS: the (attribute, facet value) index gives the products having
    # a value at once, rather than one probe per product of a large category.
    group = facet_attribute_groups()[param]
    having = AttributeValue.objects.filter(
        attribute_id__in=group.attribute_ids, facet_value__in=values
    )
    return Q(pk__in=having.values("product_id"))

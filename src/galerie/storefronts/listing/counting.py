"""A listing's total and facet counts, with work bounded whatever the number of products.

- Exact from precomputed rows (galerie.catalog.facets): the landing page of a category, and a
  category filtered on condition, price range and at most one seller (total, and the price,
  condition and seller counts: a few rows per category, summed by offer mask). A category
  filtered on one attribute group reads that group's own counts from them too.
- Counted over a sample otherwise: attribute counts of a filtered set are counted over at most
  FACET_SAMPLE of its products (per category in proportion to their matches when those are
  known, so a subtree's sample is not its first category's), scaled to the set's size, and
  marked as estimates (`Facet.estimated`). A set no larger than the sample is counted exactly.
- Capped: a total that no precomputed row gives is counted up to COUNT_CAP + 1 (a LIMIT in
  SQL); beyond COUNT_CAP, the listing says "at least COUNT_CAP" (`Listing.total_exact` false).
- A search result (at most SEARCH_LIMIT ranked products) is counted in Python from one read of
  its products' stored offer facets; its attribute counts over the first FACET_SAMPLE matches.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from galerie.catalog.facets import (
    ATTRIBUTE,
    OFFERS,
    SELLER_OFFERS,
    TOTAL,
    category_facet_counts,
    scope_q,
)
from galerie.catalog.models import AttributeValue, Product
from galerie.catalog.summary import OFFER_CONDITIONS, PRICE_RANGES, offer_facets_parse
from galerie.core.replica import read_alias
from galerie.storefronts.listing.catalogue import facet_attribute_groups
from galerie.storefronts.listing.filters import OfferWanted, Selection
from galerie.storefronts.listing.params import CONDITION_PARAM, PRICE_PARAM, SELLER_PARAM

FACET_SAMPLE = 300
COUNT_CAP = 1000
# A sample drawn per category reads at most this many categories (then one sample of the set).
MAX_SAMPLE_PARTS = 40

Part = tuple[int, str]  # (category id, visibility scope)


@dataclass
class OfferTally:
    """How many products are listed, and per value of each offer-level group how many have a
    purchasable offer with that value matching the other selected offer-level groups."""

    total: int = 0
    prices: Counter = field(default_factory=Counter)
    conditions: Counter = field(default_factory=Counter)
    sellers: Counter = field(default_factory=Counter)

    def scaled(self, factor: float) -> OfferTally:
        return OfferTally(
            round(self.total * factor),
            *(Counter({k: _scale(n, factor) for k, n in c.items()}) for c in self._groups()),
        )

    def _groups(self):
        return self.prices, self.conditions, self.sellers


@dataclass
class Counts:
    total: int
    total_exact: bool
    offers: OfferTally
    offers_estimated: bool
    attributes: dict[int, dict[str, int]]
    attributes_estimated: set[str]
    # The (category, scope) parts holding matches, when known: the page reads only those.
    parts: list[Part] | None = None


def _scale(n: int, factor: float) -> int:
    return max(1, round(n * factor)) if n else 0


# --- offer facets from the products' stored triples ---------------------------------------


def offer_tally(rows: Iterable[tuple[str, int]], wanted: OfferWanted) -> OfferTally:
    """The tally of products given as (offer_facets text, how many products have it)."""
    tally = OfferTally()
    groups = (
        (CONDITION_PARAM, 0, tally.conditions),
        (PRICE_PARAM, 1, tally.prices),
        (SELLER_PARAM, 2, tally.sellers),
    )
    for text, n in rows:
        triples = offer_facets_parse(text) if text else []
        if not wanted.any or any(wanted.matches(t) for t in triples):
            tally.total += n
        for param, position, counter in groups:
            for value in {t[position] for t in triples if wanted.matches(t, skip=param)}:
                counter[value] += n
    return tally


# --- offer facets from the precomputed rows -----------------------------------------------


@dataclass
class Precomputed:
    """The precomputed rows of a listing's categories, summed as the listing needs them."""

    totals: Counter  # part → products
    masks: Counter  # (part, offer mask) → products
    seller_masks: Counter  # (part, seller id, mask of that seller's offers) → products
    attributes: dict[int, dict[str, int]]  # attribute id → value → products (every part)

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def precomputed_read(*, category_ids, scopes, attribute_ids: Iterable[int] = ()) -> Precomputed:
    pre = Precomputed(Counter(), Counter(), Counter(), {})
    rows = category_facet_counts(
        category_ids=category_ids, scopes=scopes, attribute_ids=attribute_ids
    )
    for category_id, scope, facet, attribute_id, value, n in rows:
        part = (category_id, scope)
        if facet == TOTAL:
            pre.totals[part] += n
        elif facet == OFFERS:
            pre.masks[(part, int(value))] += n
        elif facet == SELLER_OFFERS:
            seller, mask = value.split(":")
            pre.seller_masks[(part, int(seller), int(mask))] += n
        elif facet == ATTRIBUTE:
            values = pre.attributes.setdefault(attribute_id, {})
            values[value] = values.get(value, 0) + n
    return pre


def mask_counts(pre: Precomputed, wanted: OfferWanted) -> tuple[OfferTally, Counter]:
    """Exact tally and matches per part of a listing filtered on conditions, price ranges and at
    most one seller, from the offer masks: a product matches when its mask (or the selected
    seller's mask on it) shares a pair with the filter's."""
    if len(wanted.sellers) > 1:
        raise ValueError("Offer masks cannot count a product matching one of several sellers.")
    if wanted.sellers:
        (seller,) = wanted.sellers
        rows = [(p, m, n) for (p, s, m), n in pre.seller_masks.items() if s == seller]
    else:
        rows = [(p, m, n) for (p, m), n in pre.masks.items()]
    allowed = wanted.mask()
    tally = OfferTally()
    if wanted.any:
        parts = Counter()
        for part, mask, n in rows:
            if mask & allowed:
                parts[part] += n
    else:
        parts = Counter(pre.totals)
    tally.total = sum(parts.values())
    for key, _lo, _hi in PRICE_RANGES:
        one = wanted.mask(price_ranges=[key])
        tally.prices[key] = sum(n for _p, mask, n in rows if mask & one)
    for condition in OFFER_CONDITIONS:
        one = wanted.mask(conditions=[condition])
        tally.conditions[condition] = sum(n for _p, mask, n in rows if mask & one)
    for (_part, seller, mask), n in pre.seller_masks.items():
        if mask & allowed:
            tally.sellers[seller] += n
    return tally, +parts


# --- attribute counts over a sample -------------------------------------------------------


@dataclass
class Stratum:
    """Some products of a set (any filters), in the order to sample them, and how many there
    are when known (`size_exact` false: at least that many)."""

    products: QuerySet[Product]
    size: int | None = None
    size_exact: bool = True


def capped_count(products: QuerySet[Product]) -> tuple[int, bool]:
    """How many products, counted up to COUNT_CAP + 1 rows: (at most COUNT_CAP, exact)."""
    n = products.order_by().values("pk")[: COUNT_CAP + 1].count()
    return min(n, COUNT_CAP), n <= COUNT_CAP


def sampled_attribute_counts(
    strata: Sequence[Stratum], attribute_ids: Sequence[int]
) -> tuple[dict[int, dict[str, int]], bool]:
    """Attribute value counts of the union of `strata` (disjoint), each stratum counted over at
    most its share of FACET_SAMPLE products and scaled to its size; True when exact."""
    attribute_ids = [int(i) for i in attribute_ids]
    if not attribute_ids or not strata:
        return {}, True
    known = sum(s.size for s in strata if s.size is not None)
    takes = []
    for stratum in strata:
        if stratum.size is None:
            takes.append(FACET_SAMPLE)
        elif known <= FACET_SAMPLE:
            takes.append(stratum.size)
        else:
            takes.append(max(1, math.ceil(FACET_SAMPLE * stratum.size / known)))
    sampled, counts = _sample_query(strata, takes, attribute_ids)
    merged: dict[int, dict[str, float]] = {}
    exact = True
    for i, stratum in enumerate(strata):
        size, size_exact, seen = stratum.size, stratum.size_exact, sampled.get(i, 0)
        if size is None:
            size, size_exact = seen, True
            if seen >= takes[i]:
                size, size_exact = capped_count(stratum.products)
        exact = exact and size_exact
        if not seen:
            continue
        exact = exact and seen >= size
        factor = size / seen
        for (attribute_id, value), n in counts.get(i, {}).items():
            values = merged.setdefault(attribute_id, {})
            values[value] = values.get(value, 0) + n * factor
    result = {
        a: {v: max(1, round(n)) if n else 0 for v, n in values.items()}
        for a, values in merged.items()
    }
    return result, exact


def _sample_query(strata, takes, attribute_ids):
    """One statement: the sample of each stratum (LIMIT in SQL), how many products each gave,
    and the attribute values of those products grouped by stratum."""
    pieces, params = [], []
    for i, (stratum, take) in enumerate(zip(strata, takes, strict=True)):
        if take <= 0:
            continue
        try:
            sql, part_params = stratum.products.values("id")[:take].query.sql_with_params()
        except EmptyResultSet:  # e.g. `category_id IN ()`: an assortment without categories
            continue
        pieces.append(f"SELECT {i} AS stratum, id FROM ({sql}) AS s{i}")  # noqa: S608
        params.extend(part_params)
    if not pieces:
        return {}, {}
    table = AttributeValue._meta.db_table
    marks = ", ".join(["%s"] * len(attribute_ids))
    # Only ORM-compiled SQL, integers and placeholders are interpolated. The unary "+" keeps
    # SQLite from walking the (attribute, value) index over the whole mall: the join must be
    # driven from the few sampled products (PostgreSQL reads "+x" as x).
    sql = (
        f"WITH sample AS MATERIALIZED ({' UNION ALL '.join(pieces)}) "  # noqa: S608
        "SELECT stratum, NULL, NULL, COUNT(*) FROM sample GROUP BY stratum "
        "UNION ALL "
        "SELECT sample.stratum, av.attribute_id, av.facet_value, COUNT(*) "
        f"FROM sample INNER JOIN {table} av ON av.product_id = sample.id "
        f"WHERE +av.attribute_id IN ({marks}) AND av.facet_value <> '' "
        "GROUP BY sample.stratum, av.attribute_id, av.facet_value"
    )
    sampled: dict[int, int] = {}
    counts: dict[int, dict[tuple[int, str], int]] = {}
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, [*params, *attribute_ids])
        for stratum, attribute_id, value, n in cursor.fetchall():
            if attribute_id is None:
                sampled[stratum] = n
            else:
                counts.setdefault(stratum, {})[(attribute_id, value)] = n
    return sampled, counts


# --- a category or storefront listing ------------------------------------------------------


def listing_counts(
    *, base: QuerySet[Product], selection: Selection, category_ids, scopes
) -> Counts:
    """Total and facet counts of the visible products `base` of these categories, filtered by
    `selection`; each group counted with every *other* group's filters applied."""
    groups = facet_attribute_groups()
    wanted = selection.offers
    active = list(selection.attributes)
    masks_usable = len(wanted.sellers) <= 1
    idle_ids = [i for p, g in groups.items() if p not in active for i in g.attribute_ids]
    # Attribute rows are read for the sets that have no filter but the one being counted.
    read_ids: list[int] = []
    if not active and not wanted.any:
        read_ids = idle_ids
    elif len(active) == 1:
        read_ids = list(groups[active[0]].attribute_ids)
    pre = precomputed_read(category_ids=category_ids, scopes=scopes, attribute_ids=read_ids)
    by_masks, matches_by_part = mask_counts(pre, wanted) if masks_usable else (None, None)

    # Total and offer-level facets.
    if by_masks is not None and not active:
        offers = by_masks
        total, total_exact, offers_estimated = offers.total, True, False
    else:
        by_attributes = base.filter(*selection.product_filters(offers=False))
        rows = by_attributes.order_by().values_list("offer_facets", flat=True)
        texts = list(rows[: COUNT_CAP + 1])
        offers = offer_tally(Counter(texts[:COUNT_CAP]).items(), wanted)
        total, total_exact, offers_estimated = offers.total, True, False
        if len(texts) > COUNT_CAP:
            offers_estimated = True
            size = _precomputed_size(pre, selection, groups)
            if size is not None:
                offers = offers.scaled(size / COUNT_CAP)
            total, total_exact = capped_count(base.filter(*selection.product_filters()))

    def strata(skip: str | None, size: int | None, size_exact=True) -> list[Stratum]:
        """The set counted for the attribute group `skip` (None: every idle group)."""
        filters = selection.product_filters(skip_attribute=skip)
        others = [p for p in active if p != skip]
        if not others and matches_by_part is not None:
            if len(matches_by_part) <= MAX_SAMPLE_PARTS:
                # The first matches in listing order, read from the (category, in stock,
                # title) index: PostgreSQL would otherwise scan the table for a LIMIT.
                return [
                    Stratum(
                        Product.objects.filter(
                            scope_q(scope), *filters, category_id=category
                        ).order_by("title"),
                        n,
                    )
                    for (category, scope), n in sorted(matches_by_part.items())
                ]
            size = sum(matches_by_part.values())
        # Several categories: no index gives an order, so any matches will do.
        return [Stratum(base.filter(*filters).order_by(), size, size_exact)]

    attributes: dict[int, dict[str, int]] = {}
    estimated: set[str] = set()
    idle = [p for p in groups if p not in active]
    if not active and not wanted.any:
        attributes.update({a: v for a, v in pre.attributes.items() if a in set(idle_ids)})
    elif idle:
        counted, exact = sampled_attribute_counts(strata(None, total, total_exact), idle_ids)
        attributes.update(counted)
        if not exact:
            estimated.update(idle)
    for param in active:
        ids = groups[param].attribute_ids
        if len(active) == 1 and not wanted.any:
            attributes.update({a: v for a, v in pre.attributes.items() if a in ids})
            continue
        counted, exact = sampled_attribute_counts(strata(param, None), ids)
        attributes.update(counted)
        if not exact:
            estimated.add(param)
    parts = sorted(matches_by_part) if matches_by_part is not None and not active else None
    return Counts(total, total_exact, offers, offers_estimated, attributes, estimated, parts=parts)


def _precomputed_size(pre: Precomputed, selection: Selection, groups) -> int | None:
    """How many visible products pass the attribute filters alone, when the precomputed rows say
    it: no attribute filter (every product), or one group (its values are exclusive: a product
    has one value per attribute)."""
    active = selection.attributes
    if not active:
        return pre.total
    if len(active) == 1:
        ((param, values),) = active.items()
        ids = groups[param].attribute_ids
        return sum(pre.attributes.get(a, {}).get(v, 0) for a in ids for v in values)
    return None


# --- a search result -----------------------------------------------------------------------


def search_counts(
    *, candidates: list[tuple[int, str]], selection: Selection, truncated: bool
) -> tuple[Counts, list[int]]:
    """Counts of a ranked search result and its matching ids in rank order. `candidates`:
    (id, offer_facets) of its visible products in rank order; `truncated`: the search stopped
    at its limit, so more products may match."""
    groups = facet_attribute_groups()
    wanted = selection.offers
    active = selection.attributes
    ids = [pk for pk, _text in candidates]
    having: dict[int, set[str]] = {}
    if active and ids:
        param_of = {a: p for p in active for a in groups[p].attribute_ids}
        rows = AttributeValue.objects.filter(
            product_id__in=ids,
            attribute_id__in=list(param_of),
            facet_value__in=sorted({v for values in active.values() for v in values}),
        ).values_list("product_id", "attribute_id", "facet_value")
        for product_id, attribute_id, value in rows:
            if value in active[param_of[attribute_id]]:
                having.setdefault(product_id, set()).add(param_of[attribute_id])

    def attributes_ok(pk: int, skip: str | None = None) -> bool:
        return all(p in having.get(pk, ()) for p in active if p != skip)

    # Products sharing their offer facets are matched and counted together (a few hundred
    # distinct texts for a thousand products).
    text_ok = {
        text: not wanted.any or any(wanted.matches(t) for t in offer_facets_parse(text))
        for text in {text for _pk, text in candidates}
    }
    offer_ok = {pk: text_ok[text] for pk, text in candidates}
    offers = offer_tally(
        Counter(text for pk, text in candidates if attributes_ok(pk)).items(), wanted
    )
    matches = [pk for pk in ids if offer_ok[pk] and attributes_ok(pk)]
    populations = {None: matches}
    for param in active:
        populations[param] = [pk for pk in ids if offer_ok[pk] and attributes_ok(pk, param)]
    attributes: dict[int, dict[str, int]] = {}
    estimated: set[str] = set()
    idle = [p for p in groups if p not in active]
    for key, population in populations.items():
        counted = idle if key is None else [key]
        if not population or not counted:
            continue
        # The first matches in rank order, scaled to all of them.
        sample = Product.objects.filter(pk__in=population[:FACET_SAMPLE]).order_by()
        found, exact = sampled_attribute_counts(
            [Stratum(sample, len(population))],
            [a for p in counted for a in groups[p].attribute_ids],
        )
        attributes.update(found)
        if not exact:
            estimated.update(counted)
    counts = Counts(len(matches), not truncated, offers, False, attributes, estimated)
    return counts, matches

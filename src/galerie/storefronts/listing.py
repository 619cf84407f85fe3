"""The product listing of a storefront: visibility, facets with counts, sorting and pagination.

One selector serves the category page, the search page and the JSON API, so that the three always
agree on what a shopper may see. Facets are disjunctive: values of one group combine with OR, groups
combine with AND, and each group's counts are computed with every *other* group's filters applied.
Condition, price and seller filters apply to one and the same purchasable offer. A category's
landing page (no filter) sums precomputed counts (galerie.catalog.facets); a filtered listing or a
search counts with one aggregate query per group, never a loop over products.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from galerie.catalog.facets import (
    ATTRIBUTE,
    CONDITION,
    PRICE,
    SELLER,
    TOTAL,
    category_facet_counts,
    scope_q,
    scopes,
    visibility_q,
)
from galerie.catalog.models import Attribute, AttributeValue, Category, Product
from galerie.catalog.summary import PRICE_BOUNDS, PRICE_RANGES, offer_facets_parse
from galerie.core.versions import (
    GLOBAL,
    global_version,
    listing_key,
    versions_snapshot,
    versions_token,
)
from galerie.search.selectors import product_search_ids
from galerie.sellers.models import Condition, Seller, SellerStatus
from galerie.sellers.selectors import offers_purchasable
from galerie.storefronts.models import Storefront
from galerie.storefronts.selectors import storefront_category_ids

_CACHE_SECONDS = 300
MAX_PER_PAGE = 100
MAX_VALUES_PER_GROUP = 20
MAX_VALUE_LENGTH = 200
MAX_OPTIONS_PER_FACET = 30

PRICE_PARAM = "prix"
CONDITION_PARAM = "etat"
SELLER_PARAM = "vendeur"
SORT_PARAM = "tri"
PAGE_PARAM = "page"
QUERY_PARAM = "q"
RESERVED_PARAMS = {PRICE_PARAM, CONDITION_PARAM, SELLER_PARAM, SORT_PARAM, PAGE_PARAM, QUERY_PARAM}

# What a product card (page or API) shows: the sort never drags descriptions along.
CARD_FIELDS = (
    "id",
    "slug",
    "title",
    "gtin",
    "category_id",
    "image_urls",
    "best_price",
    "offer_count",
    "in_stock",
    "price_new",
    "price_refurbished",
    "price_used",
    "created_at",
)

SORT_RELEVANCE = "pertinence"
SORT_PRICE_ASC = "prix-croissant"
SORT_PRICE_DESC = "prix-decroissant"
SORT_NEWEST = "nouveautes"
SORTS = {
    SORT_RELEVANCE: _("Pertinence"),
    SORT_PRICE_ASC: _("Prix croissant"),
    SORT_PRICE_DESC: _("Prix décroissant"),
    SORT_NEWEST: _("Nouveautés"),
}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    param: str
    label: str
    options: list[FacetOption]

    @property
    def selected(self) -> list[FacetOption]:
        return [o for o in self.options if o.selected]


@dataclass
class Listing:
    products: list[Product]
    total: int
    page: int
    num_pages: int
    per_page: int
    sort: str
    filters: dict[str, list[str]]
    facets: list[Facet] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def end_index(self) -> int:
        return min(self.page * self.per_page, self.total)


# --- cached reads -------------------------------------------------------------------------


def storefront_visible_category_ids(storefront: Storefront) -> frozenset[int]:
    """Every category id of the storefront's assortment, cached per catalogue generation."""
    key = f"sf-cats:{storefront.pk}:{global_version()}"
    ids = cache.get(key)
    if ids is None:
        ids = frozenset(storefront_category_ids(storefront))
        cache.set(key, ids, _CACHE_SECONDS)
    return ids


def storefront_root_ids(storefront: Storefront) -> list[int]:
    """The categories the storefront's assortment is made of (cached per global version)."""
    key = f"sf-roots:{storefront.pk}:{global_version()}"
    ids = cache.get(key)
    if ids is None:
        ids = sorted(storefront.categories.values_list("pk", flat=True))
        cache.set(key, ids, _CACHE_SECONDS)
    return ids


def storefront_category_tree(storefront: Storefront) -> list[dict]:
    """The assortment roots with their direct children, for navigation (cached)."""
    key = f"sf-tree:{storefront.pk}:{global_version()}"
    tree = cache.get(key)
    if tree is None:
        roots = list(storefront.categories.order_by("position", "name"))
        children = Category.objects.filter(parent__in=roots).order_by("position", "name")
        by_parent: dict[int, list[Category]] = {}
        for child in children:
            by_parent.setdefault(child.parent_id, []).append(child)
        tree = [{"category": root, "children": by_parent.get(root.pk, [])} for root in roots]
        cache.set(key, tree, _CACHE_SECONDS)
    return tree


def category_map() -> dict[int, Category]:
    """Every category by id (a few hundred rows), cached per catalogue generation."""
    key = f"category-map:{global_version()}"
    categories = cache.get(key)
    if categories is None:
        categories = {c.pk: c for c in Category.objects.all()}
        cache.set(key, categories, _CACHE_SECONDS)
    return categories


def category_by_slug(slug: str) -> Category | None:
    key = f"category-slugs:{global_version()}"
    ids = cache.get(key)
    if ids is None:
        ids = {c.slug: pk for pk, c in category_map().items()}
        cache.set(key, ids, _CACHE_SECONDS)
    pk = ids.get(slug)
    if pk is None:
        # Created since the map was cached (categories do not bump the generation).
        return Category.objects.filter(slug=slug).first()
    return category_map().get(pk)


def category_children(category: Category) -> list[Category]:
    children = [c for c in category_map().values() if c.parent_id == category.pk]
    return sorted(children, key=lambda c: (c.position, c.name))


def storefront_breadcrumb(storefront: Storefront, category: Category, *, include_self: bool):
    """The category's ancestors (and itself if asked) that belong to the storefront's assortment,
    root first: a storefront whose assortment starts below the tree's root hides the levels
    above it."""
    allowed = storefront_visible_category_ids(storefront)
    categories = category_map()
    ids = [int(i) for i in category.path.strip("/").split("/") if i]
    if not include_self:
        ids = ids[:-1]
    return [categories[i] for i in ids if i in allowed and i in categories]


@dataclass(frozen=True)
class AttributeGroup:
    """Facet attributes sharing one URL parameter (same name across product types)."""

    param: str
    label: str
    attribute_ids: tuple[int, ...]
    position: int


def facet_attribute_groups() -> dict[str, AttributeGroup]:
    """Facet attributes grouped by URL parameter (slug of their French name), cached."""
    key = f"facet-attrs:{global_version()}"
    groups = cache.get(key)
    if groups is None:
        collected: dict[str, dict] = {}
        rows = Attribute.objects.filter(is_facet=True).values_list("id", "name", "position")
        for attr_id, name, position in rows.order_by("position", "name", "id"):
            param = slugify(name) or f"attr{attr_id}"
            if param in RESERVED_PARAMS:
                param = f"{param}-attr"
            entry = collected.setdefault(param, {"label": name, "ids": [], "position": position})
            entry["ids"].append(attr_id)
        groups = {
            p: AttributeGroup(p, e["label"], tuple(e["ids"]), e["position"])
            for p, e in collected.items()
        }
        cache.set(key, groups, _CACHE_SECONDS)
    return groups


# --- visibility ---------------------------------------------------------------------------


def visible_products(storefront: Storefront) -> QuerySet[Product]:
    """Products a shopper of this storefront may see: in its assortment, with an offer in stock
    (or, when the storefront shows sold-out items, with at least one visible offer)."""
    return Product.objects.filter(
        category_id__in=storefront_visible_category_ids(storefront)
    ).filter(visibility_q(show_out_of_stock=storefront.show_out_of_stock))


# --- input normalisation ------------------------------------------------------------------


_CONTROL = dict.fromkeys(range(32))


def strip_control(text: str) -> str:
    """Drop control characters: PostgreSQL refuses NUL in text, and none belongs in a filter."""
    return text.translate(_CONTROL)


def _get(filters, param: str):
    if hasattr(filters, "getlist"):
        return filters.getlist(param)
    return filters.get(param)


def _clean_values(raw) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    values: list[str] = []
    # Repeated parameters, never comma-split: decimal facet values are written "15,6".
    for item in raw:
        part = strip_control(str(item)).strip()[:MAX_VALUE_LENGTH]
        if part and part not in values:
            values.append(part)
    return values[:MAX_VALUES_PER_GROUP]


def _normalise_filters(filters: dict) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Keep only known parameters and values that exist; unknown ones are silently dropped.
    Also returns the ids of the selected sellers, by slug."""
    groups = facet_attribute_groups()
    clean: dict[str, list[str]] = {}
    seller_ids: dict[str, int] = {}
    prices = [v for v in _clean_values(_get(filters, PRICE_PARAM)) if v in PRICE_BOUNDS]
    if prices:
        clean[PRICE_PARAM] = prices
    conditions = [v for v in _clean_values(_get(filters, CONDITION_PARAM)) if v in Condition.values]
    if conditions:
        clean[CONDITION_PARAM] = conditions
    sellers = _clean_values(_get(filters, SELLER_PARAM))
    if sellers:
        seller_ids = dict(
            Seller.objects.filter(slug__in=sellers, status=SellerStatus.VERIFIED).values_list(
                "slug", "pk"
            )
        )
        sellers = [s for s in sellers if s in seller_ids]
        if sellers:
            clean[SELLER_PARAM] = sellers
    wanted = {param: _clean_values(_get(filters, param)) for param in groups if param in filters}
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
    return clean, seller_ids


def normalise_sort(sort: str | None) -> str:
    return sort if sort in SORTS else SORT_RELEVANCE


def parse_page(raw) -> int:
    try:
        page = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1
    return max(page, 1)


# --- filtering ----------------------------------------------------------------------------
# Condition, price and seller describe one offer: a product matches them together only through
# one purchasable offer that satisfies all of them (a used copy at 5 € and a new one at 14 € do
# not make "new, under 10 €"). Attribute filters describe the product.

OFFER_PARAMS = (PRICE_PARAM, CONDITION_PARAM, SELLER_PARAM)


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


def _offer_q(clean: dict[str, list[str]], seller_ids: dict[str, int], *, skip=None) -> Q | None:
    """What one offer must be to match the selected offer-level groups (but `skip`); None when
    no such group is selected."""
    q, used = Q(), False
    if PRICE_PARAM in clean and skip != PRICE_PARAM:
        q &= _price_q(clean[PRICE_PARAM])
        used = True
    if CONDITION_PARAM in clean and skip != CONDITION_PARAM:
        q &= Q(condition__in=clean[CONDITION_PARAM])
        used = True
    if SELLER_PARAM in clean and skip != SELLER_PARAM:
        q &= Q(seller_id__in=sorted(seller_ids[s] for s in clean[SELLER_PARAM]))
        used = True
    return q if used else None


def _attribute_q(param: str, values: list[str]) -> Q:
    # IN, not a correlated EXISTS: the (attribute, facet value) index gives the products having
    # a value at once, rather than one probe per product of a large category.
    group = facet_attribute_groups()[param]
    having = AttributeValue.objects.filter(
        attribute_id__in=group.attribute_ids, facet_value__in=values
    )
    return Q(pk__in=having.values("product_id"))


def _product_filters(
    clean: dict[str, list[str]],
    seller_ids: dict[str, int],
    *,
    skip_attribute: str | None = None,
    offers: bool = True,
) -> list[Q]:
    """Conditions on products: each selected attribute group (but `skip_attribute`) and, if
    `offers`, one purchasable offer matching every selected offer-level group."""
    conditions = [
        _attribute_q(param, values)
        for param, values in clean.items()
        if param not in OFFER_PARAMS and param != skip_attribute
    ]
    offer = _offer_q(clean, seller_ids) if offers else None
    if offer is not None:
        matching = offers_purchasable().filter(offer, product=OuterRef("pk"))
        conditions.append(Q(Exists(matching)))
    return conditions


# --- facets -------------------------------------------------------------------------------


def _price_facet(counts: dict[str, int], selected: list[str]) -> Facet:
    options = []
    for key, lo, hi in PRICE_RANGES:
        n = counts.get(key, 0)
        if n or key in selected:
            options.append(FacetOption(key, _price_label(lo, hi), n, key in selected))
    return Facet(PRICE_PARAM, str(_("Prix")), options)


def _price_label(lo: Decimal | None, hi: Decimal | None) -> str:
    if lo is None:
        return str(_("Moins de %(hi)s €") % {"hi": hi})
    if hi is None:
        return str(_("%(lo)s € et plus") % {"lo": lo})
    return str(_("%(lo)s à %(hi)s €") % {"lo": lo, "hi": hi})


def _condition_facet(counts: dict[str, int], selected: list[str]) -> Facet:
    options = [
        FacetOption(value, str(label), counts.get(value, 0), value in selected)
        for value, label in Condition.choices
        if counts.get(value) or value in selected
    ]
    return Facet(CONDITION_PARAM, str(_("État")), options)


def _seller_facet(rows, selected: list[str], storefront) -> Facet:
    """`rows`: (slug, name, is_operator, count) of verified sellers."""
    options = []
    for slug, name, is_operator, n in rows:
        label = storefront.name if is_operator else name
        options.append(FacetOption(slug, label, n, slug in selected))
    for slug in selected:
        if not any(o.value == slug for o in options):
            options.append(FacetOption(slug, slug, 0, True))
    options.sort(key=lambda o: (-o.count, o.label.lower()))
    return Facet(SELLER_PARAM, str(_("Vendeur")), options)


def _attribute_facets(counts: dict[int, dict[str, int]], clean: dict[str, list[str]]):
    """Facets of the attribute groups from per-attribute value counts."""
    facets = []
    groups = facet_attribute_groups()
    for group in sorted(groups.values(), key=lambda g: (g.position, g.label)):
        merged: dict[str, int] = {}
        for attr_id in group.attribute_ids:
            for value, n in counts.get(attr_id, {}).items():
                merged[value] = merged.get(value, 0) + n
        selected = clean.get(group.param, [])
        if not merged and not selected:
            continue
        top = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0].lower()))
        top = top[:MAX_OPTIONS_PER_FACET]
        options = [FacetOption(v, v, n, v in selected) for v, n in top]
        for value in selected:
            if value not in dict(top):
                options.append(FacetOption(value, value, merged.get(value, 0), True))
        facets.append(Facet(group.param, group.label, options))
    return facets


def _offer_facet_counts(products: QuerySet[Product], clean, seller_ids):
    """How many of `products` (visible, passing every attribute filter) are listed, and per
    value of each offer-level group how many have one purchasable offer with that value that
    also matches the other selected offer-level groups.

    Read from each product's `offer_facets` (the (condition, price range, seller) of its
    purchasable offers, kept with its summary by the offer services): one indexed scan of the
    products instead of one join to their offers per group. Returns (total, prices, conditions,
    sellers by id)."""
    wanted = {
        0: set(clean.get(CONDITION_PARAM, ())),
        1: set(clean.get(PRICE_PARAM, ())),
        2: {seller_ids[s] for s in clean.get(SELLER_PARAM, ())},
    }
    selected = [i for i, values in wanted.items() if values]

    def matches(triple, skip=None) -> bool:
        return all(triple[i] in wanted[i] for i in selected if i != skip)

    total = 0
    counts: dict[int, Counter] = {0: Counter(), 1: Counter(), 2: Counter()}
    # Products sharing their offer facets are counted together: a few hundred distinct values
    # for tens of thousands of products.
    grouped = products.order_by().values_list("offer_facets").annotate(n=Count("pk"))
    for text, n in grouped:
        triples = offer_facets_parse(text) if text else []
        if not selected or any(matches(t) for t in triples):
            total += n
        for i, counter in counts.items():
            for value in {t[i] for t in triples if matches(t, skip=i)}:
                counter[value] += n
    return total, dict(counts[1]), dict(counts[0]), dict(counts[2])


def _seller_rows(counts: dict[int, int]) -> list[tuple[str, str, bool, int]]:
    """(slug, name, is_operator, count) of the verified sellers among `counts` (by seller id)."""
    if not counts:
        return []
    found = Seller.objects.filter(pk__in=sorted(counts), status=SellerStatus.VERIFIED)
    return [
        (slug, name, is_operator, counts[pk])
        for pk, slug, name, is_operator in found.values_list("pk", "slug", "name", "is_operator")
    ]


def _attribute_counts(qs: QuerySet[Product], attribute_ids) -> dict[int, dict[str, int]]:
    attribute_ids = [int(i) for i in attribute_ids]
    if not attribute_ids:
        return {}
    # Raw SQL for one reason: the join must be driven from the filtered products (category
    # index) to their values. Left to itself SQLite walks the (attribute, value) index over the
    # whole mall and probes each product, 4x slower on a large category. The unary "+" keeps
    # it from using that index; PostgreSQL reads "+x" as x and plans well on its own.
    try:
        products_sql, params = qs.order_by().values_list("id").query.sql_with_params()
    except EmptyResultSet:  # e.g. a search that found nothing: `pk IN ()` has no SQL
        return {}
    marks = ", ".join(["%s"] * len(attribute_ids))
    table = AttributeValue._meta.db_table
    # Only ORM-compiled SQL and placeholders are interpolated; every value is a parameter.
    sql = (
        "SELECT av.attribute_id, av.facet_value, COUNT(*) "  # noqa: S608
        f"FROM ({products_sql}) p INNER JOIN {table} av ON av.product_id = p.id "
        f"WHERE +av.attribute_id IN ({marks}) AND av.facet_value <> '' "
        "GROUP BY av.attribute_id, av.facet_value"
    )
    counts: dict[int, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *attribute_ids])
        for attr_id, value, n in cursor.fetchall():
            counts.setdefault(attr_id, {})[value] = n
    return counts


def _computed(base, clean, seller_ids, storefront, *, with_facets) -> tuple[int, list[Facet]]:
    """Total and facet counts of a filtered (or searched) listing, each group counted with every
    other group's filters applied, by aggregate queries driven by the products' indexes."""
    groups = facet_attribute_groups()
    by_attributes = base.filter(*_product_filters(clean, seller_ids, offers=False))
    total, prices, conditions, sellers = _offer_facet_counts(by_attributes, clean, seller_ids)
    if not (with_facets and (total or clean)):
        return total, []
    # Attribute groups: one query for every group not filtered on, one per filtered group.
    active = [p for p in clean if p in groups]
    idle_ids = [i for p, g in groups.items() if p not in active for i in g.attribute_ids]
    counts = _attribute_counts(base.filter(*_product_filters(clean, seller_ids)), idle_ids)
    for param in active:
        products = base.filter(*_product_filters(clean, seller_ids, skip_attribute=param))
        counts.update(_attribute_counts(products, groups[param].attribute_ids))
    return total, _facet_list(
        _price_facet(prices, clean.get(PRICE_PARAM, [])),
        _attribute_facets(counts, clean),
        _condition_facet(conditions, clean.get(CONDITION_PARAM, [])),
        _seller_facet(_seller_rows(sellers), clean.get(SELLER_PARAM, []), storefront),
    )


def _facet_list(price: Facet, attributes: list[Facet], condition: Facet, seller: Facet):
    return [f for f in (price, *attributes, condition, seller) if f.options]


def _precomputed(category_ids, storefront) -> tuple[int, list[Facet], list[tuple[int, str]]]:
    """Total, facets and non-empty (category, scope) parts of an unfiltered listing, summed from
    the precomputed counts of its categories (see galerie.catalog.facets)."""
    groups = facet_attribute_groups()
    rows = category_facet_counts(
        category_ids=category_ids,
        scopes=scopes(show_out_of_stock=storefront.show_out_of_stock),
        attribute_ids=[i for g in groups.values() for i in g.attribute_ids],
    )
    total, parts = 0, []
    by_facet: dict[str, Counter] = {PRICE: Counter(), CONDITION: Counter(), SELLER: Counter()}
    attributes: dict[int, dict[str, int]] = {}
    for category_id, scope, facet, attribute_id, value, n in rows:
        if facet == TOTAL:
            total += n
            parts.append((category_id, scope))
        elif facet == ATTRIBUTE:
            values = attributes.setdefault(attribute_id, {})
            values[value] = values.get(value, 0) + n
        else:
            by_facet[facet][value] += n
    sellers = {int(pk): n for pk, n in by_facet[SELLER].items()}
    facets = _facet_list(
        _price_facet(by_facet[PRICE], []),
        _attribute_facets(attributes, {}),
        _condition_facet(by_facet[CONDITION], []),
        _seller_facet(_seller_rows(sellers), [], storefront),
    )
    return total, facets, sorted(parts)


# --- the page -----------------------------------------------------------------------------

# Sort keys: (column, descending). One definition for the ORM and for the merged page's SQL.
_ORDERINGS: dict[str, list[tuple[str, bool]]] = {
    SORT_RELEVANCE: [("title", False), ("id", False)],
    SORT_PRICE_ASC: [("best_price", False), ("title", False), ("id", False)],
    SORT_PRICE_DESC: [("best_price", True), ("title", False), ("id", False)],
    SORT_NEWEST: [("created_at", True), ("id", True)],
}
# A page merged from per-category index scans reads at most parts × (offset + page) rows.
MAX_MERGED_PARTS = 40
MAX_MERGED_ROWS = 1000


def _ordering(sort: str, *, nulls: bool) -> list:
    # Only sold-out products have no best price: in-stock listings keep a plain ORDER BY, which
    # the (category, in_stock, best_price) index serves.
    ordering = []
    for column, desc in _ORDERINGS[sort]:
        expression = F(column).desc() if desc else F(column).asc()
        if column == "best_price" and nulls:
            expression = F(column).desc(nulls_last=True) if desc else F(column).asc(nulls_last=True)
        ordering.append(expression)
    return ordering


def _order_sql(sort: str, *, nulls: bool) -> str:
    qn = connection.ops.quote_name
    terms = []
    for column, desc in _ORDERINGS[sort]:
        term = f"{qn(column)} {'DESC' if desc else 'ASC'}"
        if column == "best_price" and nulls:
            term += " NULLS LAST"
        terms.append(term)
    return ", ".join(terms)


def _page_products(listed, *, parts, filters, sort, nulls, start, count) -> list[Product]:
    """One page of `listed` in `sort` order.

    A category with subcategories is `category_id IN (…)`: no index gives that order, so the
    database would sort the whole subtree for 24 rows. Each (category, scope) part is instead
    read in order from the (category, in_stock, sort key) indexes, `offset + page` rows at most,
    and only those are sorted: one statement, `UNION ALL` of the parts.
    """
    if not 2 <= len(parts) <= MAX_MERGED_PARTS or start + count > MAX_MERGED_ROWS:
        rows = listed.only(*CARD_FIELDS).order_by(*_ordering(sort, nulls=nulls))
        return list(rows[start : start + count])
    pieces, params = [], []
    for i, (category_id, scope) in enumerate(parts):
        part = (
            Product.objects.filter(scope_q(scope), *filters, category_id=category_id)
            .only(*CARD_FIELDS)
            .order_by(*_ordering(sort, nulls=nulls))[: start + count]
        )
        sql, part_params = part.query.sql_with_params()
        pieces.append(f"SELECT * FROM ({sql}) AS part{i}")  # noqa: S608
        params.extend(part_params)
    # Only ORM-compiled SQL, quoted column names and integers are interpolated.
    sql = (
        f"SELECT * FROM ({' UNION ALL '.join(pieces)}) AS parts "  # noqa: S608
        f"ORDER BY {_order_sql(sort, nulls=nulls)} LIMIT {int(count)} OFFSET {int(start)}"
    )
    return list(Product.objects.raw(sql, params))


# --- the selector -------------------------------------------------------------------------


def _subtree_ids(category: Category) -> list[int]:
    key = f"cat-subtree:{category.pk}:{global_version()}"
    ids = cache.get(key)
    if ids is None:
        rows = Category.objects.filter(path__startswith=category.path).values_list("pk", flat=True)
        ids = list(rows)
        cache.set(key, ids, _CACHE_SECONDS)
    return ids


def _summary_key(storefront, category, product_ids, clean, with_facets) -> str:
    # Keyed on the listing's shared versions: a summary change in the category (or, for a
    # search or the whole storefront, anywhere in the assortment) gives a new key.
    roots = [category.pk] if category is not None else storefront_root_ids(storefront)
    parts = [
        versions_token([GLOBAL, *(listing_key(pk) for pk in roots)]),
        str(storefront.pk),
        str(storefront.show_out_of_stock),
        str(category.pk if category else ""),
        ",".join(map(str, product_ids)) if product_ids is not None else "-",
        repr(sorted(clean.items())),
        str(with_facets),
        get_language() or "",
    ]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return f"listing-summary2:{digest}"


def product_listing(
    *,
    storefront: Storefront,
    category: Category | None = None,
    product_ids: list[int] | None = None,
    filters: dict | None = None,
    sort: str | None = None,
    page=1,
    per_page: int = 24,
    with_facets: bool = True,
) -> Listing:
    """One page of the storefront's visible products with facets.

    `product_ids` is a ranked search result: only those products are listed and "pertinence"
    keeps their rank. `filters` maps URL parameters to a value or a list of values; unknown
    parameters, values and sort keys are ignored. A page past the end gives the last page.
    """
    with versions_snapshot():
        return _product_listing(
            storefront=storefront,
            category=category,
            product_ids=product_ids,
            filters=filters,
            sort=sort,
            page=page,
            per_page=per_page,
            with_facets=with_facets,
        )


def _product_listing(
    *, storefront, category, product_ids, filters, sort, page, per_page, with_facets
) -> Listing:
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    clean, seller_ids = _normalise_filters(filters or {})
    sort = normalise_sort(sort)
    allowed = storefront_visible_category_ids(storefront)
    if category is not None:
        category_ids = sorted(pk for pk in _subtree_ids(category) if pk in allowed)
    else:
        category_ids = sorted(allowed)
    visible = visibility_q(show_out_of_stock=storefront.show_out_of_stock)
    if product_ids is None:
        base = Product.objects.filter(visible, category_id__in=category_ids)
    else:
        # A search result: keep the ids in the assortment here, so that the queries below look
        # the products up by primary key. With `category_id IN (…)` beside it, SQLite chose the
        # category index and read every product of the storefront (138 ms instead of a few ms
        # for 1,000 ids at 1,000,000 products).
        product_ids = list(product_ids)
        in_assortment = set(category_ids)
        rows = Product.objects.filter(pk__in=product_ids).values_list("pk", "category_id")
        kept = {pk for pk, category_id in rows if category_id in in_assortment}
        product_ids = [pk for pk in product_ids if pk in kept]
        base = Product.objects.filter(visible, pk__in=product_ids)
    filter_qs = _product_filters(clean, seller_ids)
    listed = base.filter(*filter_qs)

    # Total and facets do not depend on sort or page: computed once per filter set and cached
    # for the listing's versions, so paging and re-sorting cost one page query. The landing
    # page of a category (no filter) reads them from the precomputed counts.
    summary_key = _summary_key(storefront, category, product_ids, clean, with_facets)
    summary = cache.get(summary_key)
    if summary is None:
        if product_ids is None and not clean:
            total, facets, parts = _precomputed(category_ids, storefront)
            facets = facets if with_facets else []
        else:
            total, facets = _computed(base, clean, seller_ids, storefront, with_facets=with_facets)
            parts = [(c, s) for c in category_ids for s in scopes_of(storefront)]
        summary = (total, facets, parts)
        cache.set(summary_key, summary, _CACHE_SECONDS)
    total, facets, parts = summary

    page = parse_page(page)
    num_pages = max(1, math.ceil(total / per_page))
    page = min(page, num_pages)
    start = (page - 1) * per_page
    if not total:
        products = []
    elif product_ids is not None and sort == SORT_RELEVANCE:
        # A search result (at most SEARCH_LIMIT ids) keeps its rank.
        rank = {pk: i for i, pk in enumerate(product_ids)}
        matching = sorted(listed.order_by().values_list("pk", flat=True), key=rank.__getitem__)
        page_ids = matching[start : start + per_page]
        by_id = listed.only(*CARD_FIELDS).in_bulk(page_ids) if page_ids else {}
        products = [by_id[pk] for pk in page_ids if pk in by_id]
    else:
        # A search result is small enough to sort whole. So is, in effect, a listing filtered
        # on an attribute: the products having the value come from its index at once, which a
        # page merged from parts would look up again for each part.
        merge = product_ids is None and not any(p not in OFFER_PARAMS for p in clean)
        products = _page_products(
            listed,
            parts=parts if merge else [],
            filters=filter_qs,
            sort=sort,
            nulls=storefront.show_out_of_stock,
            start=start,
            count=per_page,
        )
    return Listing(
        products=products,
        total=total,
        page=page,
        num_pages=num_pages,
        per_page=per_page,
        sort=sort,
        filters=clean,
        facets=facets,
    )


def scopes_of(storefront: Storefront) -> tuple[str, ...]:
    """The visibility scopes (galerie.catalog.facets) a storefront's shoppers see."""
    return scopes(show_out_of_stock=storefront.show_out_of_stock)


MAX_QUERY_LENGTH = 500
SEARCH_LIMIT = 1000


def clean_query(raw: str | None) -> str:
    """The search box's text with whitespace collapsed, cut to a sane length."""
    return " ".join(strip_control(raw or "").split())[:MAX_QUERY_LENGTH]


def storefront_search(
    *,
    storefront: Storefront,
    query: str,
    filters: dict | None = None,
    sort: str | None = None,
    page=1,
    per_page: int = 24,
) -> Listing:
    """Full-text search within the storefront's assortment, with the listing's facets."""
    ids = product_search_ids(
        query=query,
        category_ids=sorted(storefront_visible_category_ids(storefront)),
        limit=SEARCH_LIMIT,
    )
    return product_listing(
        storefront=storefront,
        product_ids=ids,
        filters=filters,
        sort=sort,
        page=page,
        per_page=per_page,
    )

"""The product listing of a storefront: visibility, facets with counts, sorting and pagination.

One selector serves the category page, the search page and the JSON API, so that the three always
agree on what a shopper may see. Facets are disjunctive: values of one group combine with OR, groups
combine with AND, and each group's counts are computed with every *other* group's filters applied
(one aggregate query per group, never a loop over products).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from galerie.catalog.models import Attribute, AttributeValue, Category, Product
from galerie.core.versions import (
    GLOBAL,
    global_version,
    listing_key,
    versions_snapshot,
    versions_token,
)
from galerie.sellers.models import Condition, Seller, SellerStatus
from galerie.sellers.selectors import offers_purchasable
from galerie.storefronts.models import Storefront

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

# (key in the URL, lower bound included, upper bound excluded), euros TTC on best_price.
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
_PRICE_BOUNDS = {key: (lo, hi) for key, lo, hi in PRICE_RANGES}

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
        from galerie.storefronts.selectors import storefront_category_ids

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
    qs = Product.objects.filter(
        is_active=True, category_id__in=storefront_visible_category_ids(storefront)
    )
    if storefront.show_out_of_stock:
        return qs.filter(offer_count__gt=0)
    return qs.filter(in_stock=True)


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


def _normalise_filters(filters: dict) -> dict[str, list[str]]:
    """Keep only known parameters and values that exist; unknown ones are silently dropped."""
    groups = facet_attribute_groups()
    clean: dict[str, list[str]] = {}
    prices = [v for v in _clean_values(_get(filters, PRICE_PARAM)) if v in _PRICE_BOUNDS]
    if prices:
        clean[PRICE_PARAM] = prices
    conditions = [v for v in _clean_values(_get(filters, CONDITION_PARAM)) if v in Condition.values]
    if conditions:
        clean[CONDITION_PARAM] = conditions
    sellers = _clean_values(_get(filters, SELLER_PARAM))
    if sellers:
        known = set(
            Seller.objects.filter(slug__in=sellers, status=SellerStatus.VERIFIED).values_list(
                "slug", flat=True
            )
        )
        sellers = [s for s in sellers if s in known]
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
    return clean


def normalise_sort(sort: str | None) -> str:
    return sort if sort in SORTS else SORT_RELEVANCE


def parse_page(raw) -> int:
    try:
        page = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1
    return max(page, 1)


# --- filtering ----------------------------------------------------------------------------


def _group_q(param: str, values: list[str]) -> Q:
    if param == PRICE_PARAM:
        q = Q()
        for key in values:
            lo, hi = _PRICE_BOUNDS[key]
            part = Q(best_price__isnull=False)
            if lo is not None:
                part &= Q(best_price__gte=lo)
            if hi is not None:
                part &= Q(best_price__lt=hi)
            q |= part
        return q
    if param == CONDITION_PARAM:
        return Q(Exists(offers_purchasable().filter(product=OuterRef("pk"), condition__in=values)))
    if param == SELLER_PARAM:
        return Q(
            Exists(offers_purchasable().filter(product=OuterRef("pk"), seller__slug__in=values))
        )
    group = facet_attribute_groups()[param]
    return Q(
        Exists(
            AttributeValue.objects.filter(
                product=OuterRef("pk"),
                attribute_id__in=group.attribute_ids,
                facet_value__in=values,
            )
        )
    )


def _apply(base: QuerySet[Product], filters: dict[str, list[str]], *, skip: str | None = None):
    qs = base
    for param, values in filters.items():
        if param != skip:
            qs = qs.filter(_group_q(param, values))
    return qs


def _ids(qs: QuerySet[Product]):
    return qs.order_by().values("pk")


# --- facets -------------------------------------------------------------------------------


def _price_facet(qs: QuerySet[Product], selected: list[str]) -> Facet:
    return _price_facet_and_total(qs, selected)[0]


def _price_facet_and_total(qs: QuerySet[Product], selected: list[str]) -> tuple[Facet, int]:
    """The price ranges' counts and, in the same scan, the number of products in `qs`."""
    aggregates = {"total": Count("pk")}
    for i, (key, _lo, _hi) in enumerate(PRICE_RANGES):
        aggregates[f"r{i}"] = Count("pk", filter=_group_q(PRICE_PARAM, [key]))
    counts = qs.order_by().aggregate(**aggregates)
    options = []
    for i, (key, lo, hi) in enumerate(PRICE_RANGES):
        n = counts[f"r{i}"]
        if n or key in selected:
            options.append(FacetOption(key, _price_label(lo, hi), n, key in selected))
    return Facet(PRICE_PARAM, str(_("Prix")), options), counts["total"]


def _price_label(lo: Decimal | None, hi: Decimal | None) -> str:
    if lo is None:
        return str(_("Moins de %(hi)s €") % {"hi": hi})
    if hi is None:
        return str(_("%(lo)s € et plus") % {"lo": lo})
    return str(_("%(lo)s à %(hi)s €") % {"lo": lo, "hi": hi})


def _offer_counts(qs: QuerySet[Product], *fields: str):
    """Products per offer field, over purchasable offers only (see offers_purchasable)."""
    return (
        qs.order_by()
        .filter(
            offers__is_active=True,
            offers__stock__gt=0,
            offers__seller__status=SellerStatus.VERIFIED,
        )
        .values_list(*fields)
        .annotate(n=Count("pk", distinct=True))
    )


def _condition_facet(qs: QuerySet[Product], selected: list[str]) -> Facet:
    counts = dict(_offer_counts(qs, "offers__condition"))
    options = [
        FacetOption(value, str(label), counts.get(value, 0), value in selected)
        for value, label in Condition.choices
        if counts.get(value) or value in selected
    ]
    return Facet(CONDITION_PARAM, str(_("État")), options)


def _seller_facet(qs: QuerySet[Product], selected: list[str], storefront) -> Facet:
    rows = _offer_counts(
        qs, "offers__seller__slug", "offers__seller__name", "offers__seller__is_operator"
    )
    options = []
    for slug, name, is_operator, n in rows:
        label = storefront.name if is_operator else name
        options.append(FacetOption(slug, label, n, slug in selected))
    for slug in selected:
        if not any(o.value == slug for o in options):
            options.append(FacetOption(slug, slug, 0, True))
    options.sort(key=lambda o: (-o.count, o.label.lower()))
    return Facet(SELLER_PARAM, str(_("Vendeur")), options)


def _attribute_counts(qs: QuerySet[Product], attribute_ids) -> dict[int, dict[str, int]]:
    attribute_ids = [int(i) for i in attribute_ids]
    if not attribute_ids:
        return {}
    # Raw SQL for one reason: the join must be driven from the filtered products (category
    # index) to their values. Left to itself SQLite walks the (attribute, value) index over the
    # whole mall and probes each product, 4x slower on a large category. The unary "+" keeps
    # it from using that index; PostgreSQL reads "+x" as x and plans well on its own.
    products_sql, params = qs.order_by().values_list("id").query.sql_with_params()
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


def _attribute_facets(base, filters: dict[str, list[str]]) -> list[Facet]:
    groups = facet_attribute_groups()
    if not groups:
        return []
    all_ids = [i for g in groups.values() for i in g.attribute_ids]
    active = [p for p in filters if p in groups]
    # One query for every group not filtered on; one more per filtered group (disjunctive).
    shared_qs = _apply(base, filters, skip=None)
    counts = _attribute_counts(shared_qs, [i for i in all_ids if not _in_active(i, active)])
    for param in active:
        counts.update(
            _attribute_counts(_apply(base, filters, skip=param), groups[param].attribute_ids)
        )
    facets = []
    for group in sorted(groups.values(), key=lambda g: (g.position, g.label)):
        merged: dict[str, int] = {}
        for attr_id in group.attribute_ids:
            for value, n in counts.get(attr_id, {}).items():
                merged[value] = merged.get(value, 0) + n
        selected = filters.get(group.param, [])
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


def _in_active(attr_id: int, active: list[str]) -> bool:
    groups = facet_attribute_groups()
    return any(attr_id in groups[p].attribute_ids for p in active)


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
    return f"listing-summary:{digest}"


def _facets(base, clean: dict[str, list[str]], storefront, price: Facet | None) -> list[Facet]:
    if price is None:
        price = _price_facet(_apply(base, clean, skip=PRICE_PARAM), clean.get(PRICE_PARAM, []))
    facets = [price]
    facets.extend(_attribute_facets(base, clean))
    facets.append(
        _condition_facet(_apply(base, clean, skip=CONDITION_PARAM), clean.get(CONDITION_PARAM, []))
    )
    facets.append(
        _seller_facet(
            _apply(base, clean, skip=SELLER_PARAM), clean.get(SELLER_PARAM, []), storefront
        )
    )
    return [f for f in facets if f.options]


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
    clean = _normalise_filters(filters or {})
    sort = normalise_sort(sort)
    base = visible_products(storefront)
    if category is not None:
        allowed = storefront_visible_category_ids(storefront)
        ids = [pk for pk in _subtree_ids(category) if pk in allowed]
        base = base.filter(category_id__in=ids)
    if product_ids is not None:
        product_ids = list(product_ids)
        base = base.filter(pk__in=product_ids)
    qs = _apply(base, clean)

    # Total and facets do not depend on sort or page: computed once per filter set and cached
    # for the catalogue generation, so paging and re-sorting cost one page query.
    summary_key = _summary_key(storefront, category, product_ids, clean, with_facets)
    summary = cache.get(summary_key)
    price_facet: Facet | None = None

    page = parse_page(page)
    if product_ids is not None and sort == SORT_RELEVANCE:
        rank = {pk: i for i, pk in enumerate(product_ids)}
        matching = sorted(qs.order_by().values_list("pk", flat=True), key=rank.__getitem__)
        total = len(matching)
        num_pages = max(1, math.ceil(total / per_page))
        page = min(page, num_pages)
        page_ids = matching[(page - 1) * per_page : page * per_page]
        by_id = qs.only(*CARD_FIELDS).in_bulk(page_ids) if page_ids else {}
        products = [by_id[pk] for pk in page_ids if pk in by_id]
    else:
        if summary is not None:
            total = summary[0]
        elif with_facets and PRICE_PARAM not in clean:
            # Without a price filter the price facet counts `qs` itself: one scan for both.
            price_facet, total = _price_facet_and_total(qs, [])
        else:
            total = qs.count()
        num_pages = max(1, math.ceil(total / per_page))
        page = min(page, num_pages)
        ordering = {
            SORT_RELEVANCE: ["title", "pk"],
            SORT_PRICE_ASC: [F("best_price").asc(nulls_last=True), "title", "pk"],
            SORT_PRICE_DESC: [F("best_price").desc(nulls_last=True), "title", "pk"],
            SORT_NEWEST: ["-created_at", "-pk"],
        }[sort]
        start = (page - 1) * per_page
        rows = qs.only(*CARD_FIELDS).order_by(*ordering)[start : start + per_page]
        products = list(rows) if total else []

    if summary is not None:
        facets = summary[1]
    else:
        wanted = with_facets and total + len(clean)
        facets = _facets(base, clean, storefront, price_facet) if wanted else []
        cache.set(summary_key, (total, facets), _CACHE_SECONDS)
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
    from galerie.search.selectors import product_search_ids

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

"""The listing selector: one page of a storefront's visible products with its facets, for a
category, the whole storefront or a search result."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import get_language

from galerie.catalog.facets import visibility_q
from galerie.catalog.models import Category, Product
from galerie.core.versions import GLOBAL, listing_key, versions_snapshot, versions_token
from galerie.search.selectors import product_search_ids, search_correction
from galerie.storefronts.listing.catalogue import (
    category_subtree_ids,
    scopes_of,
    storefront_root_ids,
    storefront_visible_category_ids,
    visible_products,
)
from galerie.storefronts.listing.counting import Counts, listing_counts, search_counts
from galerie.storefronts.listing.facets import (
    Facet,
    attribute_facets,
    condition_facet,
    facet_list,
    price_facet,
    seller_facet,
)
from galerie.storefronts.listing.filters import Selection, selection_from
from galerie.storefronts.listing.pages import CARD_FIELDS, page_products
from galerie.storefronts.listing.params import (
    CONDITION_PARAM,
    MAX_PER_PAGE,
    PRICE_PARAM,
    SELLER_PARAM,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SORT_RELEVANCE,
    normalise_sort,
    parse_page,
)
from galerie.storefronts.models import Storefront
from galerie.storefronts.selectors import storefront_list

_CACHE_SECONDS = 300
SEARCH_LIMIT = 1000


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
    # False: `total` is a lower bound ("at least"), counted up to a cap; the pages go that far.
    total_exact: bool = True
    # A search whose query found nothing: the corrected query, whose products are listed (when
    # it finds any here; else it is what to search in the other storefronts).
    correction: str | None = None

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

    @property
    def facets_estimated(self) -> bool:
        return any(f.estimated for f in self.facets)


def product_listing(
    *,
    storefront: Storefront,
    category: Category | None = None,
    product_ids: list[int] | None = None,
    filters: dict | None = None,
    sort: str | None = None,
    page=1,
    per_page: int = 24,
    truncated: bool = False,
) -> Listing:
    """One page of the storefront's visible products with facets.

    `product_ids` is a ranked search result (`truncated`: cut at the search's limit): only those
    products are listed and "pertinence" keeps their rank. `filters` maps URL parameters to a
    value or a list of values; unknown parameters, values and sort keys are ignored. A page past
    the end gives the last page.
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
            truncated=truncated,
        )


def storefront_search(
    *,
    storefront: Storefront,
    query: str,
    filters: dict | None = None,
    sort: str | None = None,
    page=1,
    per_page: int = 24,
    exact: bool = False,
) -> Listing:
    """Full-text search within the storefront's assortment, with the listing's facets.

    When the query finds nothing in the catalogue of the storefront (before filters), the
    correction of its misspelt words is searched instead and named in `Listing.correction`;
    `exact` searches the query as typed only.
    """
    # One snapshot: the synonyms' version is the listing's global one, read once.
    with versions_snapshot():
        category_ids = sorted(storefront_visible_category_ids(storefront))
        ids = product_search_ids(query=query, category_ids=category_ids, limit=SEARCH_LIMIT)
        correction = None
        if not ids and not exact:
            # Only a query that finds nothing pays for the vocabulary lookups.
            correction = search_correction(query=query)
            if correction:
                ids = product_search_ids(
                    query=correction, category_ids=category_ids, limit=SEARCH_LIMIT
                )
        listing = product_listing(
            storefront=storefront,
            product_ids=ids,
            filters=filters,
            sort=sort,
            page=page,
            per_page=per_page,
            truncated=len(ids) >= SEARCH_LIMIT,
        )
    listing.correction = correction
    return listing


@dataclass
class SearchElsewhere:
    storefront: Storefront
    count: int
    # True: `count` is a lower bound, the search's limit.
    more: bool


def storefront_search_elsewhere(*, storefront: Storefront, query: str) -> list[SearchElsewhere]:
    """The other active storefronts where `query` finds products their shoppers may see, with
    how many, most first. For a search that found nothing here: a few queries per storefront."""
    found = []
    for other in storefront_list():
        if other.pk == storefront.pk or other.is_detached:
            continue
        ids = product_search_ids(
            query=query,
            category_ids=sorted(storefront_visible_category_ids(other)),
            limit=SEARCH_LIMIT,
        )
        if ids:
            count = visible_products(other).filter(pk__in=ids).count()
            if count:
                found.append(SearchElsewhere(other, count, len(ids) >= SEARCH_LIMIT))
    return sorted(found, key=lambda e: (-e.count, e.storefront.name))


def _summary_key(storefront, category, product_ids, selection: Selection, truncated) -> str:
    # Keyed on the listing's shared versions: a summary change in the category (or, for a
    # search or the whole storefront, anywhere in the assortment) gives a new key.
    roots = [category.pk] if category is not None else storefront_root_ids(storefront)
    parts = [
        versions_token([GLOBAL, *(listing_key(pk) for pk in roots)]),
        str(storefront.pk),
        str(storefront.show_out_of_stock),
        str(category.pk if category else ""),
        ",".join(map(str, product_ids)) if product_ids is not None else "-",
        str(truncated),
        repr(sorted(selection.values.items())),
        get_language() or "",
    ]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return f"listing-summary3:{digest}"


def _facets(counts: Counts, selection: Selection, storefront) -> list[Facet]:
    chosen = selection.values
    estimated = counts.offers_estimated
    return facet_list(
        price_facet(counts.offers.prices, chosen.get(PRICE_PARAM, []), estimated=estimated),
        attribute_facets(counts.attributes, chosen, counts.attributes_estimated),
        condition_facet(
            counts.offers.conditions, chosen.get(CONDITION_PARAM, []), estimated=estimated
        ),
        seller_facet(
            counts.offers.sellers, chosen.get(SELLER_PARAM, []), storefront, estimated=estimated
        ),
    )


def _product_listing(
    *, storefront, category, product_ids, filters, sort, page, per_page, truncated
) -> Listing:
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    selection = selection_from(filters or {})
    sort = normalise_sort(sort)
    allowed = storefront_visible_category_ids(storefront)
    if category is not None:
        category_ids = sorted(pk for pk in category_subtree_ids(category) if pk in allowed)
    else:
        category_ids = sorted(allowed)
    visible = visibility_q(show_out_of_stock=storefront.show_out_of_stock)
    scopes = scopes_of(storefront)
    filter_qs = selection.product_filters()

    # Total, facets and what the page needs do not depend on sort or page: computed once per
    # filter set and cached for the listing's versions, so paging and re-sorting cost one page
    # query.
    summary_key = _summary_key(storefront, category, product_ids, selection, truncated)
    summary = cache.get(summary_key)
    if summary is None:
        if product_ids is None:
            base = Product.objects.filter(visible, category_id__in=category_ids)
            counts = listing_counts(
                base=base, selection=selection, category_ids=category_ids, scopes=scopes
            )
            if counts.parts is not None:
                parts = counts.parts
            else:
                parts = [(c, s) for c in category_ids for s in scopes]
            ranked = None
        else:
            in_assortment = set(category_ids)
            # Looked up by primary key alone: with `category_id IN (…)` beside it, SQLite chose
            # the category index and read every product of the storefront.
            rows = Product.objects.filter(visible, pk__in=list(product_ids)).values_list(
                "pk", "category_id", "offer_facets"
            )
            found = {pk: text for pk, category_id, text in rows if category_id in in_assortment}
            candidates = [(pk, found[pk]) for pk in product_ids if pk in found]
            counts, ranked = search_counts(
                candidates=candidates, selection=selection, truncated=truncated
            )
            parts = []
        summary = (counts.total, counts.total_exact, _facets(counts, selection, storefront))
        summary += (parts, ranked)
        cache.set(summary_key, summary, _CACHE_SECONDS)
    total, total_exact, facets, parts, ranked = summary

    page = parse_page(page)
    num_pages = max(1, math.ceil(total / per_page))
    page = min(page, num_pages)
    start = (page - 1) * per_page
    if not total:
        products = []
    elif ranked is not None and sort == SORT_RELEVANCE:
        # A search result keeps its rank.
        page_ids = ranked[start : start + per_page]
        by_id = Product.objects.only(*CARD_FIELDS).in_bulk(page_ids)
        products = [by_id[pk] for pk in page_ids if pk in by_id]
    elif ranked is not None:
        # At most SEARCH_LIMIT matches, known by id: sorted whole by the database.
        rows = Product.objects.filter(pk__in=ranked).only(*CARD_FIELDS)
        products = page_products(
            rows, parts=[], filters=[], sort=sort, nulls=storefront.show_out_of_stock,
            start=start, count=per_page,
        )  # fmt: skip
    else:
        # A listing filtered on an attribute is read whole: the products having the value come
        # from its index at once, which a page merged from parts would look up again per part.
        merge = not selection.attributes
        if sort in (SORT_PRICE_ASC, SORT_PRICE_DESC):
            filter_qs = [*filter_qs, *selection.price_ceiling()]
        products = page_products(
            Product.objects.filter(visible, *filter_qs, category_id__in=category_ids),
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
        filters=selection.values,
        facets=facets,
        total_exact=total_exact,
    )

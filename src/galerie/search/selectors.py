"""Product full-text search: the one read every search box, page and API endpoint calls."""

from collections.abc import Collection

from galerie.catalog.models import Product
from galerie.search.backends import backend
from galerie.search.terms import query_gtin
from galerie.search.terms import search_terms as search_terms

MAX_LIMIT = 10_000


def product_search_ids(
    *, query: str, category_ids: Collection[int] | None = None, limit: int = 1000
) -> list[int]:
    """Ids of active products matching `query`, best match first, at most `limit`.

    A query that is a valid GTIN/ISBN (ISBN-10 included) puts that exact product first.
    `category_ids` restricts to products directly in those categories (pass every id of the
    storefront's assortment, e.g. from `storefront_category_ids`); None means the whole mall, an
    empty collection means nothing. Stock is not filtered: callers filter the returned ids.
    Never raises on user input: an empty or meaningless query gives [].
    """
    limit = min(int(limit), MAX_LIMIT)
    if limit <= 0:
        return []
    if category_ids is not None:
        category_ids = sorted({int(pk) for pk in category_ids})
        if not category_ids:
            return []
    ids: list[int] = []
    gtin = query_gtin(query)
    if gtin:
        exact = Product.objects.filter(gtin=gtin, is_active=True).values_list("pk", "category_id")
        # Membership checked here, not in SQL: an assortment can exceed SQLite's parameter cap.
        allowed = None if category_ids is None else set(category_ids)
        ids.extend(pk for pk, category_id in exact if allowed is None or category_id in allowed)
    terms = search_terms(query)
    if terms:
        found = backend().search(terms, category_ids, limit)
        exact = set(ids)  # a set: `in` on the list made 1,000 results cost half a million steps
        ids.extend(pk for pk in found if pk not in exact)
    return ids[:limit]

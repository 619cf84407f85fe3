"""One page of a listing in a sort order, read from the (category, in stock, sort key)
indexes."""

from __future__ import annotations

from django.db import connection
from django.db.models import F

from galerie.catalog.facets import scope_q
from galerie.catalog.models import Product
from galerie.storefronts.listing.params import (
    SORT_NEWEST,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SORT_RELEVANCE,
)

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


def ordering(sort: str, *, nulls: bool) -> list:
    # Only sold-out products have no best price: in-stock listings keep a plain ORDER BY, which
    # the (category, in_stock, best_price) index serves.
    terms = []
    for column, desc in _ORDERINGS[sort]:
        expression = F(column).desc() if desc else F(column).asc()
        if column == "best_price" and nulls:
            expression = F(column).desc(nulls_last=True) if desc else F(column).asc(nulls_last=True)
        terms.append(expression)
    return terms


def _order_sql(sort: str, *, nulls: bool) -> str:
    qn = connection.ops.quote_name
    terms = []
    for column, desc in _ORDERINGS[sort]:
        term = f"{qn(column)} {'DESC' if desc else 'ASC'}"
        if column == "best_price" and nulls:
            term += " NULLS LAST"
        terms.append(term)
    return ", ".join(terms)


def page_products(listed, *, parts, filters, sort, nulls, start, count) -> list[Product]:
    """One page of `listed` in `sort` order.

    A category with subcategories is `category_id IN (…)`: no index gives that order, so the
    database would sort the whole subtree for 24 rows. Each (category, scope) part holding
    matches is instead read in order from the (category, in_stock, sort key) indexes,
    `offset + page` rows at most, and only those are sorted: one statement, `UNION ALL` of the
    parts. A single part is one index scan already.
    """
    if len(parts) == 1 and start + count <= MAX_MERGED_ROWS:
        ((category_id, scope),) = parts
        rows = Product.objects.filter(scope_q(scope), *filters, category_id=category_id)
        rows = rows.only(*CARD_FIELDS).order_by(*ordering(sort, nulls=nulls))
        return list(rows[start : start + count])
    if not 2 <= len(parts) <= MAX_MERGED_PARTS or start + count > MAX_MERGED_ROWS:
        rows = listed.only(*CARD_FIELDS).order_by(*ordering(sort, nulls=nulls))
        return list(rows[start : start + count])
    pieces, params = [], []
    for i, (category_id, scope) in enumerate(parts):
        part = (
            Product.objects.filter(scope_q(scope), *filters, category_id=category_id)
            .only(*CARD_FIELDS)
            .order_by(*ordering(sort, nulls=nulls))[: start + count]
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

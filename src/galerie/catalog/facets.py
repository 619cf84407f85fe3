"""Precomputed facet counts per category (`CategoryFacetCount`), kept exact by the services.

The landing page of a category (no filter: the common case) shows its total and every facet's
counts by summing a few rows per category of its subtree, instead of counting its products, their
offers and their attribute values on every uncached page. A listing filtered on condition, price
range and one seller counts its products and its condition, price and seller facets exactly from
the same rows: each product is counted under its *offer mask* (the (condition, price range) pairs
of its purchasable offers, `galerie.catalog.summary.offer_masks`) and under each seller's mask.
The rows count the products *directly* in each category, per visibility scope, from what each
product stores: its summary columns (`in_stock`, `offer_count`, `offer_facets`), `is_active` and
its attribute values.

Who keeps them exact: `product_offer_summary_refresh` moves each product whose summary changes
from its old contribution to its new one, in the transaction that saves it
(`category_facet_counts_apply`); the feed import counts the products it creates
(`category_facet_counts_add`); bulk loads and the back office recount whole categories
(`category_facet_counts_rebuild`, `category_facet_counts_repair`; `galerie facets-rebuild`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import connection, transaction
from django.db.models import Count, Q

from galerie.catalog.models import AttributeValue, CategoryFacetCount, Product
from galerie.catalog.summary import offer_facets_parse, offer_masks

SCOPE_IN_STOCK = "s"  # active, with a purchasable offer
SCOPE_SOLD_OUT = "o"  # active, sold out, with a visible offer (storefronts showing sold-out items)

TOTAL = "total"
OFFERS = "offres"  # value: the product's offer mask
SELLER_OFFERS = "voffres"  # value: "<seller id>:<mask of that seller's offers on the product>"
ATTRIBUTE = "attr"

# (category id, scope, facet, attribute id, value): one row of CategoryFacetCount.
Key = tuple[int, str, str, int, str]

# What a product's contribution depends on, besides its attribute values.
_STATE = ("category_id", "is_active", "in_stock", "offer_count", "offer_facets")


# --- visibility, the one rule -------------------------------------------------------------


def visibility_q(*, show_out_of_stock: bool) -> Q:
    """Products a shopper may see, assortment aside: active, with a purchasable offer, or (for a
    storefront showing sold-out items) with a visible one. The union of `scopes(...)`."""
    if show_out_of_stock:
        return Q(is_active=True, offer_count__gt=0)
    return Q(is_active=True, in_stock=True)


def scopes(*, show_out_of_stock: bool) -> tuple[str, ...]:
    return (SCOPE_IN_STOCK, SCOPE_SOLD_OUT) if show_out_of_stock else (SCOPE_IN_STOCK,)


def scope_q(scope: str) -> Q:
    """The products of one scope (disjoint scopes whose union is `visibility_q`)."""
    if scope == SCOPE_IN_STOCK:
        return Q(is_active=True, in_stock=True)
    return Q(is_active=True, in_stock=False, offer_count__gt=0)


def product_scope(*, is_active: bool, in_stock: bool, offer_count: int) -> str | None:
    """`scope_q` for one product's columns; None: seen by no storefront."""
    if not is_active:
        return None
    if in_stock:
        return SCOPE_IN_STOCK
    return SCOPE_SOLD_OUT if offer_count > 0 else None


# --- one product's contribution -----------------------------------------------------------


def _keys(
    category_id: int, scope: str | None, offer_facets: str, attributes: Iterable[tuple[int, str]]
) -> list[Key]:
    if scope is None:
        return []
    keys: list[Key] = [(category_id, scope, TOTAL, 0, "")]
    if offer_facets:
        mask, by_seller = offer_masks(offer_facets_parse(offer_facets))
        keys.append((category_id, scope, OFFERS, 0, str(mask)))
        keys.extend(
            (category_id, scope, SELLER_OFFERS, 0, f"{seller}:{m}")
            for seller, m in sorted(by_seller.items())
        )
    keys.extend((category_id, scope, ATTRIBUTE, a, v) for a, v in attributes)
    return keys


def _attributes(product_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = {}
    size = _chunk_size()
    for start in range(0, len(product_ids), size):
        rows = (
            AttributeValue.objects.filter(product_id__in=product_ids[start : start + size])
            .exclude(facet_value="")
            .values_list("product_id", "attribute_id", "facet_value")
        )
        for product_id, attribute_id, value in rows:
            found.setdefault(product_id, []).append((attribute_id, value))
    return found


# --- keeping the counts exact -------------------------------------------------------------


def category_facet_counts_apply(*, products: Sequence[Product]) -> None:
    """Move each product's counts from its stored summary to the new summary it carries
    (`in_stock`, `offer_count`, `offer_facets` set but not yet saved).

    Call inside the transaction that then saves these summaries. The product rows are locked
    here (primary-key order) and their stored summary read under the lock, so two writers of one
    product never both move it from the same old state.
    """
    new = {p.pk: p for p in products}
    if not new:
        return
    ids = sorted(new)
    moves: list[tuple[int, int, str | None, str, str | None, str]] = []
    size = _chunk_size()
    for start in range(0, len(ids), size):
        rows = (
            Product.objects.select_for_update()
            .filter(pk__in=ids[start : start + size])
            .order_by("pk")
            .values_list("pk", *_STATE)
        )
        for pk, category_id, active, in_stock, offer_count, facets in rows:
            p = new[pk]
            old_scope = product_scope(is_active=active, in_stock=in_stock, offer_count=offer_count)
            new_scope = product_scope(
                is_active=active, in_stock=p.in_stock, offer_count=p.offer_count
            )
            if old_scope != new_scope or facets != p.offer_facets:
                moves.append((pk, category_id, old_scope, facets, new_scope, p.offer_facets))
    if not moves:
        return
    # Attribute values only move when the product changes scope; otherwise they cancel out.
    attributes = _attributes([m[0] for m in moves if m[2] != m[4]])
    delta: Counter[Key] = Counter()
    for pk, category_id, old_scope, old_facets, new_scope, new_facets in moves:
        values = attributes.get(pk, []) if old_scope != new_scope else []
        delta.subtract(_keys(category_id, old_scope, old_facets, values))
        delta.update(_keys(category_id, new_scope, new_facets, values))
    _write_delta(delta)


def category_facet_counts_add(*, product_ids: Iterable[int]) -> None:
    """Count products written in bulk with their summary and never counted (the feed import's
    new products). Call in the transaction that wrote them, before any summary refresh of theirs.

    Grouped in the database: products sharing a state (category, flags, offer facets) and
    attribute values shared by many products come back as one row each."""
    ids = sorted(set(product_ids))
    delta: Counter[Key] = Counter()
    size = _chunk_size()
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        # A batch's new products usually have consecutive ids: a range scan, not a long IN (…).
        if chunk[-1] - chunk[0] + 1 == len(chunk):
            which = {"id__gte": chunk[0], "id__lte": chunk[-1]}
        else:
            which = {"id__in": chunk}
        states = (
            Product.objects.filter(**which).order_by().values_list(*_STATE).annotate(n=Count("pk"))
        )
        for category_id, active, in_stock, offer_count, facets, n in states:
            scope = product_scope(is_active=active, in_stock=in_stock, offer_count=offer_count)
            for key in _keys(category_id, scope, facets, ()):
                delta[key] += n
        values = (
            AttributeValue.objects.filter(**{f"product_{k}": v for k, v in which.items()})
            .exclude(facet_value="")
            .order_by()
            .values_list(
                "product__category_id",
                "product__is_active",
                "product__in_stock",
                "product__offer_count",
                "attribute_id",
                "facet_value",
            )
            .annotate(n=Count("pk"))
        )
        for category_id, active, in_stock, offer_count, attribute_id, value, n in values:
            scope = product_scope(is_active=active, in_stock=in_stock, offer_count=offer_count)
            if scope is not None:
                delta[(category_id, scope, ATTRIBUTE, attribute_id, value)] += n
    _write_delta(delta)


def _chunk_size() -> int:
    # Ids per IN (…): as many as the database takes in one statement, at most 10,000.
    limit = connection.features.max_query_params or 10_000
    return max(100, min(10_000, limit - 100))


def _table() -> str:
    return connection.ops.quote_name(CategoryFacetCount._meta.db_table)


_COLUMNS = ("category_id", "scope", "facet", "attribute_id", "value")


def _write_delta(delta: Counter[Key]) -> None:
    items = sorted((key, n) for key, n in delta.items() if n)
    if not items:
        return
    qn = connection.ops.quote_name
    table, count = _table(), qn("count")
    columns = ", ".join(qn(c) for c in _COLUMNS)
    # Identifiers come from the model's metadata; every value is a parameter. Rows are upserted
    # in key order, so two writers of one category never wait on each other in opposite orders.
    upsert = (
        f"INSERT INTO {table} ({columns}, {count}) VALUES (%s, %s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({columns}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )
    match = " AND ".join(f"{qn(c)} = %s" for c in _COLUMNS)
    prune = f"DELETE FROM {table} WHERE {match} AND {count} = 0"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(upsert, [(*key, n) for key, n in items])
        decreased = [key for key, n in items if n < 0]
        if decreased:
            cursor.executemany(prune, decreased)


# --- recounting ---------------------------------------------------------------------------


def _lock_for_recount() -> None:
    # Writers of deltas wait until the recount commits (readers do not): a delta applied between
    # the recount's reading of the products and its writing of the rows would be lost. SQLite
    # has one writer at a time already; the recount deletes first, which takes the write lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {_table()} IN EXCLUSIVE MODE")


def category_facet_counts_rebuild(*, category_ids: Iterable[int] | None = None) -> int:
    """Recount the given categories (None: the whole mall) from their products; returns the
    number of rows written. Runs in its own transaction (or the caller's)."""
    ids = None if category_ids is None else sorted(set(category_ids))
    if ids is not None and not ids:
        return 0
    with transaction.atomic():
        _lock_for_recount()
        rows = CategoryFacetCount.objects.all()
        if ids is not None:
            rows = rows.filter(category_id__in=ids)
        rows.delete()
        counts = _recount(ids)
        qn = connection.ops.quote_name
        columns = ", ".join(qn(c) for c in (*_COLUMNS, "count"))
        sql = f"INSERT INTO {_table()} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)"  # noqa: S608
        items = sorted(counts.items())
        with connection.cursor() as cursor:
            for start in range(0, len(items), 5000):
                cursor.executemany(sql, [(*k, n) for k, n in items[start : start + 5000]])
    return len(items)


def _recount(category_ids: list[int] | None) -> Counter[Key]:
    products = Product.objects.filter(visibility_q(show_out_of_stock=True))
    if category_ids is not None:
        products = products.filter(category_id__in=category_ids)
    values = AttributeValue.objects.filter(product__in=products.values("pk"))
    counts: Counter[Key] = Counter()
    rows = products.values_list(*_STATE)
    for category_id, active, in_stock, offer_count, facets in rows.iterator(chunk_size=5000):
        scope = product_scope(is_active=active, in_stock=in_stock, offer_count=offer_count)
        counts.update(_keys(category_id, scope, facets, ()))
    grouped = (
        values.exclude(facet_value="")
        .order_by()
        .values_list("product__category_id", "product__in_stock", "attribute_id", "facet_value")
        .annotate(n=Count("pk"))
    )
    for category_id, in_stock, attribute_id, value, n in grouped.iterator(chunk_size=5000):
        # Visible products only (filtered above): in stock, or sold out with a visible offer.
        scope = SCOPE_IN_STOCK if in_stock else SCOPE_SOLD_OUT
        counts[(category_id, scope, ATTRIBUTE, attribute_id, value)] += n
    return counts


def category_facet_counts_repair(*, category_ids: Iterable[int] = ()) -> list[int]:
    """Recount `category_ids` and every category whose stored totals disagree with its products.

    For writes that change what the summary refresh does not see (the back office moving a
    product to another category, (de)activating it, editing its attribute values): a moved
    product leaves its old category's total one too high, found here without knowing it.
    Returns the categories recounted.
    """
    actual: Counter[tuple[int, str]] = Counter()
    grouped = (
        Product.objects.filter(visibility_q(show_out_of_stock=True))
        .order_by()
        .values_list("category_id", "in_stock")
        .annotate(n=Count("pk"))
    )
    for category_id, in_stock, n in grouped:
        actual[(category_id, SCOPE_IN_STOCK if in_stock else SCOPE_SOLD_OUT)] = n
    stored = Counter(
        {
            (c, s): n
            for c, s, n in CategoryFacetCount.objects.filter(facet=TOTAL, count__gt=0).values_list(
                "category_id", "scope", "count"
            )
        }
    )
    stale = {c for c, _s in (actual - stored) + (stored - actual)} | set(category_ids)
    category_facet_counts_rebuild(category_ids=stale)
    return sorted(stale)


# --- reading ------------------------------------------------------------------------------


def category_facet_counts(
    *, category_ids: Iterable[int], scopes: Iterable[str], attribute_ids: Iterable[int] = ()
) -> list[tuple[int, str, str, int, str, int]]:
    """(category id, scope, facet, attribute id, value, count) rows of these categories and
    scopes with a positive count: totals, offer masks, and attribute rows of `attribute_ids`."""
    wanted = Q(facet__in=[TOTAL, OFFERS, SELLER_OFFERS])
    attribute_ids = list(attribute_ids)
    if attribute_ids:
        wanted |= Q(facet=ATTRIBUTE, attribute_id__in=attribute_ids)
    return list(
        CategoryFacetCount.objects.filter(
            category_id__in=list(category_ids), scope__in=list(scopes), count__gt=0
        )
        .filter(wanted)
        .values_list("category_id", "scope", "facet", "attribute_id", "value", "count")
    )

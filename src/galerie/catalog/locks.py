"""Row locks of catalogue writes (one place for every select_for_update of this domain)."""

from collections.abc import Sequence

from django.db import connection

from galerie.catalog.models import Product


def products_lock(*, product_ids: Sequence[int]) -> None:
    """Lock these products' rows, in primary-key order, until the current transaction ends.

    A product's offer summary, and its place in the category facet counts, is computed from its
    offers then written back: two writers of different offers of one product (stock movements
    lock the offer, not the product) must not both compute it from offers read before the other
    committed, or the second write loses the first change. Call before reading the offers.
    Outside a transaction nothing can hold a lock, and SQLite has one writer at a time: no-op.
    """
    if product_ids and connection.in_atomic_block and connection.features.has_select_for_update:
        locked = Product.objects.select_for_update().filter(pk__in=product_ids).order_by("pk")
        list(locked.values_list("pk", flat=True))

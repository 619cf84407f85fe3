"""Writes to the product search index. Call `search_index_refresh` after changing products."""

from collections.abc import Iterable

from galerie.search.backends import backend


def search_index_refresh(*, product_ids: Iterable[int]) -> None:
    """(Re)index these products: active ones are (re)written, missing or inactive ones removed."""
    ids = sorted({int(pk) for pk in product_ids})
    if ids:
        backend().refresh(ids)


def search_index_rebuild() -> int:
    """Rebuild the whole index from the catalogue in set-based SQL; returns the products indexed."""
    return backend().rebuild()

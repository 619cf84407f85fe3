"""A catalogue generation number: bumped whenever products or offers change, so that cached
pages and fragments keyed on it are never served stale after a change."""

from django.core.cache import cache

_KEY = "catalog-generation"


def catalog_generation() -> int:
    value = cache.get(_KEY)
    if value is None:
        cache.add(_KEY, 1, timeout=None)
        value = cache.get(_KEY, 1)
    return value


def catalog_generation_bump() -> None:
    try:
        cache.incr(_KEY)
    except ValueError:
        cache.set(_KEY, 2, timeout=None)

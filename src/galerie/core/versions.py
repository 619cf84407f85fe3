"""Freshness versions that every process agrees on: what a cached page or fragment shows is
keyed on the versions of its parts, and a committed change bumps them.

The versions live in the database (table core_cacheversion) or, when REDIS_URL is set, in
Redis next to the shared cache; never in one process's memory. A bump is queued with
`transaction.on_commit`: a rolled-back change bumps nothing, and a page rendered from data read
before the commit is stored under a version that nobody asks for any more.

Keys: `GLOBAL` (categories, storefronts, attributes, sellers: anything every page may show),
`product_key(id)` (a product page: the product and its offers) and `listing_key(category_id)`
(listings of that category and of its ancestors: the products' summaries).

Redis down: a version that cannot be read is a fresh random negative number, so a cache key
built on it matches nothing (every cache is bypassed, nothing stale is served) and whatever is
stored under it is never asked for again. A bump that cannot reach Redis is recorded in the
database and the key is deleted from Redis before it is trusted again (galerie.core.outbox):
it then restarts from the clock, above every number it had.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from galerie.core import outbox
from galerie.core.models import CacheVersion
from galerie.core.rediscache import CacheUnavailable, cache_strict, outage_seen

GLOBAL = "g"
_REDIS_PREFIX = "v:"

logger = logging.getLogger(__name__)

# Versions already read during one read-only request: each is read once per request, not once
# per cached fragment (see `versions_snapshot`).
_snapshot: ContextVar[dict[str, int] | None] = ContextVar("galerie_versions", default=None)


@contextmanager
def versions_snapshot() -> Iterator[None]:
    """Within the block, each version is read from the shared store at most once. For GET
    requests and reads only: a request that writes must see its own bumps. Nested blocks share
    the outer snapshot."""
    if _snapshot.get() is not None:
        yield
        return
    token = _snapshot.set({})
    try:
        yield
    finally:
        _snapshot.reset(token)


def product_key(product_id: int) -> str:
    return f"p:{int(product_id)}"


def listing_key(category_id: int) -> str:
    return f"c:{int(category_id)}"


def _shared_cache() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def versions_get(keys: Iterable[str]) -> dict[str, int]:
    """The current version of each key (0 for one never bumped), read from the shared store
    (or from this request's snapshot)."""
    keys = list(dict.fromkeys(keys))
    memo = _snapshot.get()
    if memo is not None:
        missing = [k for k in keys if k not in memo]
        if missing:
            memo.update(_read(missing))
        return {k: memo[k] for k in keys}
    return _read(keys)


def _read(keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    if _shared_cache():
        return _redis_read(keys)
    # Read on every catalogue request, cached or not: plain SQL, no ORM compilation.
    qn = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(keys))
    sql = (
        f"SELECT {qn('key')}, {qn('version')} FROM {qn(CacheVersion._meta.db_table)} "  # noqa: S608
        f"WHERE {qn('key')} IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, keys)
        rows = dict(cursor.fetchall())
    return {k: rows.get(k, 0) for k in keys}


def _redis_read(keys: list[str]) -> dict[str, int]:
    try:
        with cache_strict():
            if outage_seen() and not outbox.stale_keys_purge():
                raise CacheUnavailable("stale keys not purged")
            found = cache.get_many([_REDIS_PREFIX + k for k in keys])
            missing = [k for k in keys if _REDIS_PREFIX + k not in found]
            for key in missing:
                # A key lost by Redis restarts from the clock, never from a number already used.
                cache.add(_REDIS_PREFIX + key, time.time_ns() // 1000, timeout=None)
            if missing:
                found.update(cache.get_many([_REDIS_PREFIX + k for k in missing]))
    except CacheUnavailable:
        return {k: -random.getrandbits(62) - 1 for k in keys}
    return {k: int(found.get(_REDIS_PREFIX + k, 0)) for k in keys}


def versions_token(keys: Iterable[str]) -> str:
    """One string naming the current versions of `keys`, to put in a cache key."""
    current = versions_get(keys)
    return ".".join(f"{k}={v}" for k, v in sorted(current.items()))


def global_version() -> int:
    return versions_get([GLOBAL])[GLOBAL]


def _bump_now(keys: list[str]) -> None:
    if _shared_cache():
        try:
            with cache_strict():
                for key in keys:
                    try:
                        cache.incr(_REDIS_PREFIX + key)
                    except ValueError:
                        cache.add(_REDIS_PREFIX + key, time.time_ns() // 1000, timeout=None)
                        cache.incr(_REDIS_PREFIX + key)
        except CacheUnavailable:
            outbox.stale_keys_record([_REDIS_PREFIX + key for key in keys])
        return
    qn = connection.ops.quote_name
    table, key_col, version_col = qn(CacheVersion._meta.db_table), qn("key"), qn("version")
    # One statement per key, in sorted order (two bumping processes never wait on each other
    # in opposite orders); an upsert so a key needs no setup. Identifiers only come from here.
    sql = (
        f"INSERT INTO {table} ({key_col}, {version_col}) VALUES (%s, 1) "  # noqa: S608
        f"ON CONFLICT ({key_col}) DO UPDATE SET {version_col} = {table}.{version_col} + 1"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for key in keys:
            cursor.execute(sql, [key])


def versions_bump(keys: Iterable[str]) -> None:
    """Bump `keys` once the current transaction commits (at once outside a transaction)."""
    keys = sorted(set(keys))
    if not keys:
        return

    def bump():
        try:
            _bump_now(keys)
        except Exception:  # noqa: BLE001 - the change is committed; a failed bump must not 500
            logger.exception("cache version bump failed for %s", keys)

    bump.galerie_version_bump = True  # found by galerie.testing.versions
    transaction.on_commit(bump, robust=True)


def global_bump() -> None:
    """Everything may have changed (categories, storefronts, sellers, a bulk load)."""
    versions_bump([GLOBAL])

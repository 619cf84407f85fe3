"""The shared cache on Redis, tolerant of Redis being down: an outage makes every read a miss
and every write a no-op, never a 500, so pages render from the database (slower, still right).

After one failure the backend stops trying for GALERIE_REDIS_RETRY_SECONDS (a circuit
breaker): with Redis unreachable, a page must not wait for the connect timeout on each of its
cache calls. The warning is logged once a minute per process, not once per call.

Callers that must know whether a write reached Redis (the freshness versions, sessions, the
throttle) run it inside `cache_strict()`: there a failure raises CacheUnavailable, and they
record what Redis missed (galerie.core.outbox) or fall back to the database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Unreachable, timed out, out of memory, or not a Redis at all: the cache is unavailable.
REDIS_ERRORS = (RedisError,)
_WARN_EVERY = 60.0

_strict: ContextVar[bool] = ContextVar("galerie_cache_strict", default=False)
# Per process and per Redis address (cache backends are per thread; the outage is not).
_down_until: dict[str, float] = {}
_last_warning: dict[str, float] = {}
_outage_seen: set[str] = set()


class CacheUnavailable(Exception):  # noqa: N818 - reads as a state: "the cache is unavailable"
    """Redis could not be reached (raised inside `cache_strict()` only)."""


@contextmanager
def cache_strict() -> Iterator[None]:
    """Inside the block, a Redis failure raises CacheUnavailable instead of being absorbed."""
    token = _strict.set(True)
    try:
        yield
    finally:
        _strict.reset(token)


def outage_seen() -> bool:
    """Whether this process met a Redis failure since the last `outage_forget()`: what Redis
    missed meanwhile must be repaired before it is trusted again (galerie.core.outbox)."""
    return bool(_outage_seen)


def outage_forget() -> None:
    _outage_seen.clear()


def _tolerant(miss):
    """Wrap a RedisCache operation: on a Redis failure return `miss(*args)` (or raise inside
    cache_strict)."""

    def decorator(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            location = self._server_location
            if _down_until.get(location, 0.0) > time.monotonic():
                if _strict.get():
                    raise CacheUnavailable(location)
                return miss(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except REDIS_ERRORS as exc:
                _down_until[location] = time.monotonic() + settings.GALERIE_REDIS_RETRY_SECONDS
                _outage_seen.add(location)
                _warn(location, exc)
                if _strict.get():
                    raise CacheUnavailable(location) from exc
                return miss(*args, **kwargs)

        return wrapper

    return decorator


def _warn(location: str, exc: BaseException) -> None:
    now = time.monotonic()
    if now - _last_warning.get(location, -_WARN_EVERY) >= _WARN_EVERY:
        _last_warning[location] = now
        logger.warning("Redis cache unreachable, serving without it: %s", exc)


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _default(key, default=None, *args, **kwargs):
    return default


def _empty(*args, **kwargs):
    return {}


def _no_keys_failed(data, *args, **kwargs):
    return list(data)  # set_many's answer: the keys that were not stored


def _incr_missing(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found.")  # as a miss: the caller starts a new counter


class TolerantRedisCache(RedisCache):
    """django's RedisCache, whose failures become misses (see the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._server_location = ",".join(self._servers)

    get = _tolerant(_default)(RedisCache.get)
    get_many = _tolerant(_empty)(RedisCache.get_many)
    has_key = _tolerant(_false)(RedisCache.has_key)
    add = _tolerant(_false)(RedisCache.add)
    set = _tolerant(_none)(RedisCache.set)
    set_many = _tolerant(_no_keys_failed)(RedisCache.set_many)
    touch = _tolerant(_false)(RedisCache.touch)
    delete = _tolerant(_false)(RedisCache.delete)
    delete_many = _tolerant(_none)(RedisCache.delete_many)
    incr = _tolerant(_incr_missing)(RedisCache.incr)
    clear = _tolerant(_false)(RedisCache.clear)

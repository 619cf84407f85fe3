"""The tolerant Redis cache's cost on the page-cache hit path: the same get_many + get pair (a
hit: versions, then the page) through django's RedisCache and galerie's TolerantRedisCache, and
the versions read through galerie.core.versions (cache_strict, outage check).

    REDIS_URL=redis://127.0.0.1:6379/3 uv run python bench/redis_cache_overhead.py [--n 5000]
"""

import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")
django.setup()

from django.core.cache.backends.redis import RedisCache  # noqa: E402

from galerie.core import versions  # noqa: E402
from galerie.core.rediscache import TolerantRedisCache  # noqa: E402


def timed(label, fn, n):
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        rounds.append((time.perf_counter() - start) / n * 1e6)
    print(f"{label:44} median {statistics.median(rounds):7.1f} µs per hit (5 rounds of {n})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    n = parser.parse_args().n
    url = os.environ["REDIS_URL"]
    params = {"KEY_PREFIX": "bench", "OPTIONS": {"socket_timeout": 0.5}}
    plain, tolerant = RedisCache(url, params), TolerantRedisCache(url, params)
    plain.set("page", b"x" * 20_000)
    plain.set_many({"v:g": 1, "v:p:1": 2})

    def hit(cache):
        return lambda: (cache.get_many(["v:g", "v:p:1"]), cache.get("page"))

    timed("django RedisCache: get_many + get", hit(plain), n)
    timed("TolerantRedisCache: get_many + get", hit(tolerant), n)
    timed("versions.versions_get (strict, outage check)", lambda: versions._read(["g"]), n)


if __name__ == "__main__":
    main()

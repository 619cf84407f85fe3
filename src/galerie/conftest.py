"""Suite-wide test setup.

The suite runs twice in CI: on SQLite (the embedded default) and on PostgreSQL
(DATABASE_URL=postgres://…, GALERIE_REQUIRE_POSTGRES=1). Tests marked `postgres` need PostgreSQL's
behaviour (real row locks, concurrent writers): they are skipped on the SQLite pass only, and the
PostgreSQL pass fails — never skips — when the server cannot be reached.

Tests marked `redis` use the Redis at GALERIE_TEST_REDIS_URL (default redis://127.0.0.1:6379/3):
skipped when it cannot be reached, unless GALERIE_REQUIRE_REDIS=1 (.ci/run sets it), where they
fail instead. A `replica` alias mirrors default (the same test database) for the read-replica
router's tests.
"""

import os
import tempfile

import pytest
from django.conf import settings

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _test_redis_url() -> str:
    """GALERIE_TEST_REDIS_URL, one database further per pytest-xdist worker: the tests flush
    their database and share RQ's queue names, so two workers must never share one."""
    base = os.environ.get("GALERIE_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    server, _, db = base.rpartition("/")
    return f"{server}/{(int(db or 0) + int(worker or 0)) % 16}"


TEST_REDIS_URL = _test_redis_url()


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def pytest_configure(config):
    if os.environ.get("GALERIE_REQUIRE_POSTGRES") == "1" and not ON_POSTGRES:
        raise pytest.UsageError(
            "GALERIE_REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL."
        )
    # Argon2 is made slow on purpose (~0.4 s a hash here) and the suite hashes on every account
    # it creates and every login it tries. The tests check who may log in, not the hash's cost;
    # the one that checks production's hasher puts galerie.settings' list back.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Product pictures written by any test (uploads, feed fetches, demo drawings) stay out of var/.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="galerie-test-media-")
    if "replica" not in settings.DATABASES:
        default = settings.DATABASES["default"]
        settings.DATABASES["replica"] = {
            **default,
            "TEST": {**default.get("TEST", {}), "MIRROR": "default"},
        }
        # Its allow_migrate keeps the system checks and migrations off the mirror; it routes
        # nothing there unless a test turns GALERIE_READ_REPLICA on.
        settings.DATABASE_ROUTERS = ["galerie.core.replica.ReplicaRouter"]


def pytest_sessionstart(session):
    """Under pytest-xdist (`-n`), the workers share var/: create the payment webhook secret
    once, in the controlling process, before they start. Left to the first test of each worker,
    two could write different secrets and one would verify with the other's."""
    if not hasattr(session.config, "workerinput"):
        from galerie.payments.gateways import webhook_secret

        webhook_secret()


def pytest_collection_modifyitems(config, items):
    _transactional_tests_restore_data(items)
    if any("redis" in item.keywords for item in items) and not _redis_reachable():
        if os.environ.get("GALERIE_REQUIRE_REDIS") == "1":
            raise pytest.UsageError(f"GALERIE_REQUIRE_REDIS=1 but {TEST_REDIS_URL} does not answer")
        skip_redis = pytest.mark.skip(reason=f"needs Redis at {TEST_REDIS_URL}")
        for item in items:
            if "redis" in item.keywords:
                item.add_marker(skip_redis)
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL pass of .ci/run")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _transactional_tests_restore_data(items):
    """Every transactional test restores the migrated data (VAT rates, chart of accounts, roles,
    content types) from the serialized copy. Mixing the two kinds breaks: a plain flush recreates
    content types under new ids, and the next serialized restore then collides with them."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and "serialized_rollback" not in marker.kwargs
        ):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture(autouse=True)
def _committed_bumps_visible(monkeypatch):
    """Version bumps queued by work that would have committed run when that work's outermost
    transaction ends, as a real commit would run them (see galerie.testing.versions)."""
    from django.db import transaction

    from galerie.core import versions
    from galerie.testing.versions import run_committed_bumps

    original_read, original_exit = versions._read, transaction.Atomic.__exit__

    def read(keys):
        run_committed_bumps()  # bumps queued outside any transaction of the code under test
        return original_read(keys)

    def atomic_exit(self, exc_type, exc_value, traceback):
        result = original_exit(self, exc_type, exc_value, traceback)
        run_committed_bumps()
        return result

    monkeypatch.setattr(versions, "_read", read)
    monkeypatch.setattr(transaction.Atomic, "__exit__", atomic_exit)


@pytest.fixture(autouse=True)
def _isolate():
    """Neither the cache (storefront ids are reused after rollback) nor the language that the
    storefront middleware activated in this thread may leak into the next test."""
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    yield
    cache.clear()
    translation.deactivate()

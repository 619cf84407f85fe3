"""Suite-wide test setup.

The suite runs twice in CI: on SQLite (the embedded default) and on PostgreSQL
(DATABASE_URL=postgres://…, GALERIE_REQUIRE_POSTGRES=1). Tests marked `postgres` need PostgreSQL's
behaviour (real row locks, concurrent writers): they are skipped on the SQLite pass only, and the
PostgreSQL pass fails — never skips — when the server cannot be reached.
"""

import os

import pytest
from django.conf import settings

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_configure(config):
    if os.environ.get("GALERIE_REQUIRE_POSTGRES") == "1" and not ON_POSTGRES:
        raise pytest.UsageError(
            "GALERIE_REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL."
        )


def pytest_collection_modifyitems(config, items):
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL pass of .ci/run")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


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

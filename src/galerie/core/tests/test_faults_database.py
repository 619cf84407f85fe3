"""Fault: the database connection of a live `galerie serve` is lost — in the middle of a request
(its backend terminated while it waits on a lock), between requests, or the database refusing
every connection. A request that lost it answers 503 with Retry-After (a French page, or the
API's JSON error), never 500; the next request, with the database back, answers 200.
"""

import json
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from galerie.testing import faults
from galerie.testing.factories import make_category, make_storefront

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HOST = "pannes.localhost"
API = "/api/storefronts/pannes/categories"
UNAVAILABLE = "Service momentanément indisponible. Réessayez dans quelques instants."


def _admin(sql: str, params: tuple = ()):
    """Run `sql` from the server's maintenance database: it works while ours refuses connections."""
    import psycopg

    db = settings.DATABASES["default"]
    dsn = dict(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres")
    with psycopg.connect(**dsn, password=db.get("PASSWORD") or None, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _terminate_others(keep: int) -> None:
    """End every backend of the test database but the test's own (`keep`)."""
    _admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
        (connection.settings_dict["NAME"], keep),
    )


@pytest.fixture
def server(tmp_path):
    make_storefront("pannes", categories=[make_category("Livres")])
    log = tmp_path / "serve.log"
    with faults.serving(faults.process_env(tmp_path), log, host=HOST) as (port, process):
        yield port, process, log


def test_lost_database_answers_503_and_the_next_request_recovers(server):
    port, process, log = server
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [(ours,)] = cursor.fetchall()
    name = connection.settings_dict["NAME"]

    # Mid-request: the API request waits on a table lock; its backend is terminated there.
    answer = {}
    with faults.connect() as locker:
        locker.execute("LOCK TABLE catalog_category IN ACCESS EXCLUSIVE MODE")
        request = threading.Thread(
            target=lambda: answer.update(r=faults.http_get(port, API, host=HOST))
        )
        request.start()
        [waiting] = faults.wait_for_lock_waiter(process, log)
        _admin("SELECT pg_terminate_backend(%s)", (waiting,))
        request.join(timeout=30)
        locker.rollback()
    status, headers, body = answer["r"]
    assert status == 503, body
    assert headers["Retry-After"] == "5"
    assert json.loads(body) == {"code": "service_unavailable", "message": UNAVAILABLE}
    assert faults.http_get(port, API, host=HOST)[0] == 200

    # Between requests: the idle connection is gone; the health check reconnects unseen.
    _terminate_others(keep=ours)
    assert faults.http_get(port, API, host=HOST)[0] == 200
    assert faults.http_get(port, "/", host=HOST)[0] == 200

    # The database refuses connections: pages and API answer 503, then 200 once it is back.
    _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        _terminate_others(keep=ours)
        status, headers, page = faults.http_get(port, "/panier/", host=HOST)
        assert status == 503, page
        assert headers["Retry-After"] == "5"
        assert headers["Content-Type"].startswith("text/html")
        assert "<h1>Service momentanément indisponible</h1>" in page
        status, _headers, body = faults.http_get(port, API, host=HOST)
        assert status == 503 and '"service_unavailable"' in body, body
    finally:
        _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert faults.http_get(port, "/panier/", host=HOST)[0] == 200
    assert faults.http_get(port, API, host=HOST)[0] == 200
    assert "Database unavailable: GET /api/storefronts/pannes/categories" in log.read_text()
    call_command("ledger_check")

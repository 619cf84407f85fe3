"""A lost or refused database connection answers 503 with Retry-After (a French page, or the API's
JSON error), not 500; the next request, with the database back, answers 200. The live
PostgreSQL version (a real backend terminated mid-request) is in test_faults_database.py."""

import logging
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client

from galerie.testing.factories import make_category, make_storefront

pytestmark = pytest.mark.django_db

HOST = "culture.localhost"


@pytest.fixture
def storefront():
    return make_storefront("culture", categories=[make_category("Livres")])


@contextmanager
def database_lost(table: str):
    """Every query touching `table` fails as when the server goes away."""

    def execute(run, sql, params, many, context):
        if table in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return run(sql, params, many, context)

    with connection.execute_wrapper(execute):
        yield


def test_api_view_losing_the_database_answers_a_json_503_then_recovers(storefront, caplog):
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    path = "/api/storefronts/culture/categories"

    with caplog.at_level(logging.ERROR, logger="galerie.core.database"), database_lost("catalog"):
        response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "code": "service_unavailable",
        "message": "Service momentanément indisponible. Réessayez dans quelques instants.",
    }
    assert "Database unavailable: GET /api/storefronts/culture/categories" in caplog.text
    assert client.get(path).status_code == 200


def test_page_whose_middleware_loses_the_database_answers_a_french_503(storefront):
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)

    with database_lost("storefront"):
        response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "<h1>Service momentanément indisponible</h1>" in page
    assert client.get("/").status_code == 200


def test_page_view_losing_the_database_answers_503(storefront):
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)

    with database_lost("catalog_category"):
        response = client.get("/")

    assert response.status_code == 503
    assert "Service momentanément indisponible" in response.content.decode()


def test_other_errors_stay_500(storefront, monkeypatch):
    from galerie.api import catalog

    def broken(storefront):
        raise ValueError("a bug, not the database")

    monkeypatch.setattr(catalog, "storefront_visible_category_ids", broken)
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)

    assert client.get("/api/storefronts/culture/categories").status_code == 500

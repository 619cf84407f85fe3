"""/healthz and /readyz: answered on any host, over plain http even when https is enforced,
never cached; readiness names each failing check and says nothing secret."""

import pytest
from django.core.cache import caches
from django.db import connection

from galerie.operations import health
from galerie.testing.factories import make_storefront


@pytest.fixture
def https_enforced(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["galerie.example.com"]


@pytest.mark.django_db
def test_healthz_answers_plain_http_on_any_host_without_a_query(
    client, https_enforced, django_assert_num_queries
):
    make_storefront("probe")
    for host in ("probe.localhost", "backoffice.example.com", "10.0.0.7", "galerie.example.com"):
        with django_assert_num_queries(0):
            response = client.get("/healthz", HTTP_HOST=host)
        assert response.status_code == 200, host
        assert response.content == b"ok\n" and response["Content-Length"] == "3"
        assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_an_ordinary_page_is_still_redirected_to_https(client, https_enforced):
    response = client.get("/", HTTP_HOST="galerie.example.com")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_readyz_is_ready_when_every_check_passes(client, https_enforced):
    response = client.get("/readyz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "task_queue": "ok", "migrations": "ok"},
    }


@pytest.mark.django_db
def test_readyz_names_a_failing_cache_without_its_message(client, monkeypatch):
    cache = caches["default"]

    def refuse(*args, **kwargs):
        raise ConnectionError("redis://:s3cret-password@cache.internal:6379/0 refused")

    monkeypatch.setattr(cache, "set", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"] == "error: ConnectionError"
    assert body["checks"]["database"] == "ok"
    assert b"s3cret" not in response.content and b"cache.internal" not in response.content


@pytest.mark.django_db
def test_readyz_fails_while_a_migration_is_unapplied_then_caches_success(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    executor = health.MigrationExecutor(connection)
    recorder = executor.recorder
    [(app, name)] = executor.loader.graph.leaf_nodes("orders")  # as if deployed, not migrated
    recorder.record_unapplied(app, name)
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["migrations"].startswith("error: ")
        assert response.json()["checks"]["database"] == "ok"
    finally:
        recorder.record_applied(app, name)
    assert client.get("/readyz").status_code == 200
    assert health._migrations_applied is True

    def must_not_run(*args, **kwargs):
        raise AssertionError("the migrations check runs once it has passed")

    monkeypatch.setattr(health, "MigrationExecutor", must_not_run)
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_names_an_unreachable_task_queue(client, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    import django_rq

    class Down:
        def ping(self):
            raise ConnectionError("redis down")

    monkeypatch.setattr(django_rq, "get_connection", lambda name: Down())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["task_queue"] == "error: ConnectionError"

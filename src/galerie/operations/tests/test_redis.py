"""With REDIS_URL (cache and RQ task queue on Redis): readiness pings Redis, /metrics reads the RQ
queue. Runs against the suite's Redis, database 1."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from galerie.operations.tests.probe_app import probe_task

REDIS_URL = "redis://127.0.0.1:6379/1"
CLOSED_PORT_URL = "redis://127.0.0.1:1/1"


def _on_redis(settings, url: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "galerie-test-operations",
        }
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": url}}


def _gauge(client, name: str) -> float:
    text = client.get("/metrics").content.decode()
    [value] = [
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    ]
    return value


@pytest.mark.django_db
def test_ready_on_redis_and_the_rq_queue_is_measured(client, settings):
    _on_redis(settings, REDIS_URL)
    import django_rq

    queue = django_rq.get_queue("default")
    queue.empty()
    try:
        response = client.get("/readyz")
        assert response.status_code == 200, response.content
        assert _gauge(client, "galerie_task_queue_depth") == 0

        probe_task.enqueue(word="waiting")
        probe_task.enqueue(word="waiting too")

        assert _gauge(client, "galerie_task_queue_depth") == 2
        assert 0 <= _gauge(client, "galerie_task_queue_oldest_age_seconds") < 60
        assert _gauge(client, "galerie_business_metrics_up") == 1
    finally:
        queue.empty()


@pytest.mark.django_db
def test_redis_down_is_unready_and_names_cache_and_queue(client, settings):
    _on_redis(settings, CLOSED_PORT_URL)
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"].startswith("error: ") and checks["task_queue"].startswith("error: ")
    assert checks["database"] == "ok"
    assert _gauge(client, "galerie_business_metrics_up") == 0

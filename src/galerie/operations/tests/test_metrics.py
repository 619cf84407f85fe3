"""/metrics: Prometheus text for loopback or the bearer token only; requests counted by route
name (never the raw path) and status; business figures read at scrape time."""

import os
import subprocess
import sys
import textwrap

import pytest
from prometheus_client.parser import text_string_to_metric_families

from galerie.operations import gunicorn_conf
from galerie.testing.factories import make_storefront

REMOTE = {"REMOTE_ADDR": "203.0.113.9"}


def _samples(response) -> dict[tuple, float]:
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


@pytest.mark.django_db
def test_metrics_from_a_remote_client_are_not_there(client):
    response = client.get("/metrics", **REMOTE)
    assert response.status_code == 404 and response.content == b""


@pytest.mark.django_db
def test_metrics_relayed_by_a_proxy_on_this_host_are_not_loopback(client):
    response = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 404


@pytest.mark.django_db
def test_metrics_with_a_token_set_need_that_token(client, settings):
    settings.GALERIE_METRICS_TOKEN = "t0ken-for-the-scraper"
    assert client.get("/metrics", **REMOTE).status_code == 403
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope", **REMOTE)
    assert wrong.status_code == 403
    right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t0ken-for-the-scraper", **REMOTE)
    assert right.status_code == 200 and right["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_metrics_count_requests_by_route_and_status(client):
    make_storefront("metrics")
    before = _samples(client.get("/metrics"))
    for path in ("/", "/", "/no-such-page-7/", "/no-such-page-8/"):
        client.get(path)
    client.get("/", HTTP_HOST="metrics.localhost")
    after = _samples(client.get("/metrics"))

    def delta(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    home = {"route": "home", "method": "GET", "status": "200"}
    assert delta("galerie_http_requests_total", **home) == 3
    unmatched = {"route": "<unmatched>", "method": "GET", "status": "404"}
    assert delta("galerie_http_requests_total", **unmatched) == 2
    assert not any("no-such-page" in str(key) for key in after)
    assert delta("galerie_http_request_duration_seconds_count", route="home") == 3
    assert delta("galerie_http_request_duration_seconds_bucket", route="home", le="+Inf") == 3
    # The probes and the scrape itself are not counted.
    assert not any(dict(labels).get("route") in ("/metrics", "/healthz") for _n, labels in after)


@pytest.mark.django_db
def test_business_figures_are_read_at_scrape_time(client, settings, django_assert_max_num_queries):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from galerie.operations.tests.probe_app import probe_task

    probe_task.enqueue(word="waiting")
    with django_assert_max_num_queries(4):
        samples = _samples(client.get("/metrics"))
    assert samples[("galerie_business_metrics_up", ())] == 1
    assert samples[("galerie_orders", (("status", "paid"),))] == 0
    assert samples[("galerie_payments", (("status", "captured"),))] == 0
    assert samples[("galerie_import_jobs", (("status", "done"),))] == 0
    assert samples[("galerie_import_rows_total", (("outcome", "imported"),))] == 0
    assert samples[("galerie_task_queue_depth", ())] == DBTaskResult.objects.ready().count() >= 1
    assert samples[("galerie_task_queue_oldest_age_seconds", ())] >= 0


def test_gunicorn_master_empties_the_multiprocess_directory(tmp_path, monkeypatch):
    stale = tmp_path / "prometheus" / "counter_123.db"
    stale.parent.mkdir()
    stale.write_bytes(b"old run")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(stale.parent))
    gunicorn_conf.on_starting(server=None)
    assert stale.parent.is_dir() and list(stale.parent.iterdir()) == []


def test_several_worker_processes_are_added_up(tmp_path):
    """Multiprocess mode, as under `galerie serve`: two processes record, a third scrapes."""
    record = textwrap.dedent("""
        import django; django.setup()
        from galerie.operations.metrics import request_observe
        for _ in range({n}):
            request_observe(route="home", method="GET", status=200, seconds=0.01)
    """)
    scrape = "import django; django.setup()\n" + (
        "from prometheus_client import generate_latest\n"
        "from prometheus_client.multiprocess import MultiProcessCollector\n"
        "import sys; sys.stdout.write(generate_latest(MultiProcessCollector(None)).decode())\n"
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": (
        "galerie.settings"
    )}  # fmt: skip
    for n in (2, 3):
        subprocess.run([sys.executable, "-c", record.format(n=n)], env=env, check=True)
    out = subprocess.run(
        [sys.executable, "-c", scrape], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert 'galerie_http_requests_total{method="GET",route="home",status="200"} 5.0' in out

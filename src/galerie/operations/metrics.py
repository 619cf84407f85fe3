"""Prometheus metrics: HTTP requests by route and status with their latency, recorded by the
operations middleware, and business figures read from the database when /metrics is scraped.

Several gunicorn workers: `galerie serve` sets PROMETHEUS_MULTIPROC_DIR (var/prometheus/<port>)
before anything imports prometheus_client, empties it at start and drops a dead worker's live
series (galerie.operations.gunicorn_conf); each worker then writes its samples to files there,
and a scrape, whichever worker answers it, adds up all of them. Without that variable
(runserver, the tests) the metrics are this process's own.
"""

import logging
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Count, Min, Sum
from prometheus_client import REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from galerie.imports.models import ImportJob, ImportStatus
from galerie.orders.models import Order, OrderStatus
from galerie.payments.models import Payment, PaymentStatus

log = logging.getLogger(__name__)

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "<unmatched>"

REQUESTS = Counter(
    "galerie_http_requests",
    "HTTP requests answered, by route (URL name), method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "galerie_http_request_duration_seconds",
    "Time from the request entering Django to its response, by route (URL name).",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def route_of(request) -> str:
    """The resolved URL's name, never the path: one series per route, whatever the ids in it.
    The admin's hundreds of model views count as one route."""
    match = request.resolver_match
    if match is None:
        return UNMATCHED_ROUTE
    if match.namespaces and match.namespaces[0] == "admin":
        return "admin"
    return match.view_name


# The labelled series, by (route, method, status): `labels()` validates and locks on every call,
# which costs more than the update itself. As bounded as the labels.
_series: dict[tuple[str, str, int], tuple] = {}


def request_observe(*, route: str, method: str, status: int, seconds: float) -> None:
    key = (route, method if method in _METHODS else "other", status)
    series = _series.get(key)
    if series is None:
        series = _series[key] = (REQUESTS.labels(*key[:2], str(status)), LATENCY.labels(route))
    series[0].inc()
    series[1].observe(seconds)


class BusinessCollector:
    """Read at scrape time: a handful of aggregate queries (GROUP BY status; the waiting tasks
    through django-tasks-db's partial index on READY)."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "galerie_business_metrics_up", "1 when every business figure below could be read."
        )
        ok = True
        for section in (_orders, _payments, _imports, _task_queue):
            try:
                yield from section()
            except Exception:
                log.exception("metrics: %s could not be read", section.__name__.strip("_"))
                ok = False
        up.add_metric([], 1 if ok else 0)
        yield up


def _by_status(model, choices, name: str, documentation: str) -> GaugeMetricFamily:
    counts = dict.fromkeys(choices.values, 0)
    for row in model.objects.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    family = GaugeMetricFamily(name, documentation, labels=["status"])
    for status, n in sorted(counts.items()):
        family.add_metric([status], n)
    return family


def _orders() -> Iterator[Metric]:
    yield _by_status(Order, OrderStatus, "galerie_orders", "Orders by status.")


def _payments() -> Iterator[Metric]:
    yield _by_status(Payment, PaymentStatus, "galerie_payments", "Payments by status.")


def _imports() -> Iterator[Metric]:
    jobs = GaugeMetricFamily(
        "galerie_import_jobs", "Feed import jobs by status.", labels=["status"]
    )
    rows = CounterMetricFamily(
        "galerie_import_rows", "Feed rows processed by import jobs, by outcome.", labels=["outcome"]
    )
    counts = dict.fromkeys(ImportStatus.values, 0)
    imported = rejected = 0
    for row in (
        ImportJob.objects.order_by()
        .values("status")
        .annotate(n=Count("pk"), ok=Sum("rows_ok"), rejected=Sum("rows_rejected"))
    ):
        counts[row["status"]] = row["n"]
        imported += row["ok"] or 0
        rejected += row["rejected"] or 0
    for status, n in sorted(counts.items()):
        jobs.add_metric([status], n)
    rows.add_metric(["imported"], imported)
    rows.add_metric(["rejected"], rejected)
    yield jobs
    yield rows


def _task_queue() -> Iterator[Metric]:
    depth, oldest = _task_queue_state()
    age = max(0.0, time.time() - oldest.timestamp()) if oldest else 0.0
    yield GaugeMetricFamily(
        "galerie_task_queue_depth", "Tasks waiting to run (ready, not started).", value=depth
    )
    yield GaugeMetricFamily(
        "galerie_task_queue_oldest_age_seconds",
        "How long the oldest waiting task has waited (0 when none waits).",
        value=age,
    )


def _task_queue_state() -> tuple[int, datetime | None]:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        state = DBTaskResult.objects.ready().aggregate(n=Count("pk"), oldest=Min("enqueued_at"))
        return state["n"], state["oldest"]
    if backend == "django_tasks_rq.RQBackend":
        import django_rq

        queue = django_rq.get_queue("default")
        job_ids = queue.get_job_ids(0, 1)
        job = queue.fetch_job(job_ids[0]) if job_ids else None
        oldest = job.enqueued_at if job else None
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)  # RQ stores UTC
        return queue.count, oldest
    return 0, None


class _Scrape:
    """What one scrape exports: the request metrics (every worker's, in multiprocess mode) and
    the business figures, read once."""

    def collect(self) -> Iterator[Metric]:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            yield from MultiProcessCollector(None).collect()
        else:
            yield from REGISTRY.collect()
        yield from BusinessCollector().collect()


def metrics_exposition() -> bytes:
    return generate_latest(_Scrape())

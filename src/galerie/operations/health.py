"""Readiness checks for `/readyz`: each answers None when fine, or a short reason (an exception's
class name, never its message: messages can hold a URL with its password)."""

import os
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

_CACHE_PROBE_KEY = "galerie:readyz"
# Once every migration is applied, it stays so for this process's life (code does not change
# under a running process): the check, which reads every migration file, runs until it passes.
_migrations_applied = False


def _reason(exc: BaseException) -> str:
    return f"error: {type(exc).__name__}"


def database_check(alias: str) -> str | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return _reason(exc)
    return None


def cache_check() -> str | None:
    token = os.urandom(8).hex()
    try:
        cache = caches["default"]
        cache.set(_CACHE_PROBE_KEY, token, 10)
        if cache.get(_CACHE_PROBE_KEY) != token:
            return "error: value not stored"
    except Exception as exc:
        return _reason(exc)
    return None


def task_queue_check() -> str | None:
    backend = settings.TASKS["default"]["BACKEND"]
    try:
        if backend == "django_tasks_db.DatabaseBackend":
            from django_tasks_db.models import DBTaskResult

            list(DBTaskResult.objects.order_by().values_list("pk", flat=True)[:1])
        elif backend == "django_tasks_rq.RQBackend":
            import django_rq

            django_rq.get_connection("default").ping()
    except Exception as exc:
        return _reason(exc)
    return None


def migrations_check() -> str | None:
    global _migrations_applied
    if _migrations_applied:
        return None
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return _reason(exc)
    if plan:
        return f"error: {len(plan)} unapplied"
    _migrations_applied = True
    return None


def readiness() -> dict[str, str]:
    """Every check by name: "ok" or why not. Ready when all are "ok"."""
    checks: dict[str, Callable[[], str | None]] = {}
    for alias in settings.DATABASES:
        name = "database" if alias == DEFAULT_DB_ALIAS else f"database_{alias}"
        checks[name] = lambda alias=alias: database_check(alias)
    checks["cache"] = cache_check
    checks["task_queue"] = task_queue_check
    checks["migrations"] = migrations_check
    return {name: check() or "ok" for name, check in checks.items()}

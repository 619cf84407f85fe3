"""What Redis missed while it was down, kept in the database until it answers again.

- Tasks: every task enqueued on commit goes through `task_enqueue_on_commit`. When the queue
  cannot be reached, the task is written to the outbox (core_pendingtask) instead of being lost
  or failing the request, and `outbox_flush` enqueues it later: on the next successful enqueue
  of any process (checked at most once a minute), from `galerie tasks-flush`, or from the
  worker. Delivery is at least once: a task may run twice if a flush dies between the enqueue
  and its commit, so tasks stay idempotent.
- Cache keys: an invalidation that could not reach Redis (a freshness version's bump, a session
  saved or ended) is recorded (core_stalecachekey), and those keys are deleted from Redis before
  it is trusted again: by the first process that reads the versions after seeing the outage,
  and by every flush. A deleted version restarts from the clock, above any number used before.
"""

from __future__ import annotations

import logging
import time
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.module_loading import import_string

from galerie.core.models import PendingTask, StaleCacheKey
from galerie.core.rediscache import REDIS_ERRORS, CacheUnavailable, cache_strict, outage_forget

logger = logging.getLogger(__name__)

_CHECK_EVERY = 60.0  # seconds between two looks at the outbox from the enqueue path
_next_check = 0.0  # per process: the first successful enqueue looks


def _queue_on_redis() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def task_enqueue(task, *args, **kwargs):
    """Enqueue `task` now; if the queue (Redis) cannot be reached, keep it in the outbox and
    return None. Arguments must be JSON values (django.tasks requires them anyway)."""
    try:
        result = task.enqueue(*args, **kwargs)
    except REDIS_ERRORS as exc:
        global _next_check
        PendingTask.objects.create(
            task_path=task.module_path, args=list(args), kwargs=kwargs, error=str(exc)[:500]
        )
        _next_check = 0.0  # this process knows there is work waiting
        logger.warning("task queue unreachable, %s kept in the outbox: %s", task.module_path, exc)
        return None
    if _queue_on_redis():
        _flush_if_due()
    return result


def task_enqueue_on_commit(task, *args, **kwargs) -> None:
    """Enqueue `task` once the current transaction commits (nothing if it rolls back), through
    the outbox when the queue is down: the one way the code enqueues after a write."""
    transaction.on_commit(partial(task_enqueue, task, *args, **kwargs), robust=True)


def _flush_if_due() -> None:
    global _next_check
    now = time.monotonic()
    if now < _next_check:
        return
    _next_check = now + _CHECK_EVERY
    if PendingTask.objects.exists() or StaleCacheKey.objects.exists():
        outbox_flush()


def outbox_flush(*, limit: int = 1000) -> int:
    """Repair what Redis missed, then enqueue the waiting tasks, oldest first. Stops at the
    first failure (Redis still down): what is left waits for the next flush. Returns the number
    of tasks enqueued."""
    if not stale_keys_purge():
        return 0
    sent = 0
    for pk in PendingTask.objects.order_by("pk").values_list("pk", flat=True)[:limit]:
        try:
            with transaction.atomic():
                # Two flushing processes never enqueue the same row: the second skips it.
                row = PendingTask.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
                if row is None:
                    continue
                import_string(row.task_path).enqueue(*row.args, **row.kwargs)
                row.delete()
        except REDIS_ERRORS as exc:
            logger.warning("task queue still unreachable, tasks wait in the outbox: %s", exc)
            break
        sent += 1
    return sent


def stale_keys_record(keys: list[str]) -> None:
    """Remember cache keys whose invalidation Redis missed (call outside the transaction that
    changed the data, or after it committed: the record must stay even if nothing else does)."""
    StaleCacheKey.objects.bulk_create(
        [StaleCacheKey(key=key) for key in dict.fromkeys(keys)], ignore_conflicts=True
    )


def stale_keys_purge() -> bool:
    """Delete the recorded stale keys from Redis. False if Redis is still unreachable."""
    keys = list(StaleCacheKey.objects.order_by("created_at").values_list("key", flat=True)[:1000])
    try:
        with cache_strict():
            if keys:
                cache.delete_many(keys)
            else:
                cache.get("outbox:ping")  # the outage is over only if Redis answers
    except CacheUnavailable:
        return False
    StaleCacheKey.objects.filter(key__in=keys).delete()
    if len(keys) == 1000:
        return stale_keys_purge()
    outage_forget()
    return True

"""The periodic maintenance commands and when they run: `galerie scheduler` enqueues each run as
a background task (`galerie.core.tasks.maintenance_command_run`), so the work happens in the
task workers and two schedulers never enqueue the same run (a conditional UPDATE claims it).

The schedule names commands by string: core imports no app above it, and the task runs the
command as `galerie <name>` would, in the worker."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from galerie.core import clock
from galerie.core.models import PendingTask, ScheduledJob, StaleCacheKey
from galerie.core.outbox import outbox_flush, task_enqueue
from galerie.core.tasks import task


@dataclasses.dataclass(frozen=True)
class Job:
    """A command run every `every`, or once a day at `at` (the shop's local time)."""

    name: str
    every: dt.timedelta | None = None
    at: dt.time | None = None
    args: tuple[str, ...] = ()
    when: Callable[[], bool] = lambda: True

    def next_after(self, moment: dt.datetime) -> dt.datetime:
        if self.every is not None:
            return moment + self.every
        assert self.at is not None
        local = timezone.localtime(moment)
        candidate = timezone.make_aware(dt.datetime.combine(local.date(), self.at))
        if candidate <= moment:
            candidate = timezone.make_aware(
                dt.datetime.combine(local.date() + dt.timedelta(days=1), self.at)
            )
        return candidate


def _db_task_backend() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


# Every command here is safe to run twice (each says so in its own module); the frequencies are
# the README's. payout_run is not here: it writes the SEPA file the operator sends to the bank,
# a decision taken on purpose (docs/deploy.md shows a timer for those who want one).
SCHEDULE: tuple[Job, ...] = (
    Job("release_expired_orders", every=dt.timedelta(minutes=5)),
    Job("promotions_apply", every=dt.timedelta(minutes=15)),
    Job("close_past_departures", at=dt.time(0, 15)),
    Job("clearsessions", at=dt.time(3, 0)),
    Job("cart_purge", at=dt.time(3, 30)),
    Job("sellers_erase_expired", at=dt.time(4, 0)),
    Job("customers_retention", at=dt.time(4, 30)),
    Job("prune_db_task_results", at=dt.time(5, 0), when=_db_task_backend),
    Job("subscriptions_daily", at=dt.time(6, 0)),
    Job("returns_overdue", at=dt.time(7, 0)),
)
JOBS = {job.name: job for job in SCHEDULE}


@task()
def maintenance_command_run(*, name: str) -> str:
    """Run the scheduled command `name` (a command of SCHEDULE only) in the worker; returns the
    end of its output, kept with the task's result."""
    job = JOBS[name]
    output = io.StringIO()
    call_command(job.name, *job.args, stdout=output, stderr=output)
    return output.getvalue()[-4000:]


def schedule_run_due(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job that is due and that this caller claims; return their names.

    A job never seen before is due at once. The claim moves the job's next run forward in the
    same transaction as the enqueue (with the database task backend, the task row): a crash
    between the two loses nothing, and a second scheduler finds the row already moved."""
    now = now or clock.now()
    enqueued = []
    for job in SCHEDULE:
        if not job.when():
            continue
        ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
        with transaction.atomic():
            claimed = ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now).update(
                next_run_at=job.next_after(now), last_enqueued_at=now
            )
            if claimed:
                # Redis down: kept in the outbox, enqueued by the next flush (below).
                task_enqueue(maintenance_command_run, name=job.name)
                enqueued.append(job.name)
    return enqueued


def outbox_flush_if_waiting() -> int:
    """Enqueue the tasks kept while Redis was down (the scheduler calls it at every check)."""
    if PendingTask.objects.exists() or StaleCacheKey.objects.exists():
        return outbox_flush()
    return 0

"""The scheduler enqueues each due maintenance command once, however many schedulers run, and
`galerie worker` starts the worker of the configured task backend."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from galerie.core.models import ScheduledJob
from galerie.core.schedule import JOBS, SCHEDULE, maintenance_command_run, schedule_run_due
from galerie.core.workers import task_worker_argv

pytestmark = pytest.mark.django_db
PARIS = dt.timezone(dt.timedelta(hours=1))  # December: Europe/Paris is UTC+1
NOW = dt.datetime(2026, 12, 3, 22, 0, tzinfo=dt.UTC)


def _queued() -> list[str]:
    return sorted(result.args_kwargs["kwargs"]["name"] for result in DBTaskResult.objects.all())


def test_first_round_enqueues_every_command_once_then_nothing_until_due():
    first = schedule_run_due(now=NOW)
    assert sorted(first) == sorted(job.name for job in SCHEDULE) == _queued()
    assert schedule_run_due(now=NOW) == []  # a second scheduler at the same instant
    assert schedule_run_due(now=NOW + dt.timedelta(minutes=4)) == []
    assert schedule_run_due(now=NOW + dt.timedelta(minutes=5)) == ["release_expired_orders"]
    assert len(_queued()) == len(SCHEDULE) + 1


def test_daily_commands_run_next_at_their_local_time():
    schedule_run_due(now=NOW)  # 23:00 in Paris
    next_run = ScheduledJob.objects.get(name="cart_purge").next_run_at
    assert next_run == dt.datetime(2026, 12, 4, 3, 30, tzinfo=PARIS)
    assert JOBS["close_past_departures"].next_after(NOW) == dt.datetime(
        2026, 12, 4, 0, 15, tzinfo=PARIS
    )


def test_scheduler_once_prints_what_it_enqueued():
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert out.getvalue().count("mise en file") == len(SCHEDULE)
    call_command("scheduler", "--once", stdout=(again := io.StringIO()))
    assert again.getvalue() == ""


def test_the_task_runs_a_scheduled_command_and_no_other():
    assert "commande(s) expirée(s)" in maintenance_command_run.call(name="release_expired_orders")
    with pytest.raises(KeyError):
        maintenance_command_run.call(name="flush")


def test_worker_command_follows_the_task_backend(settings):
    assert task_worker_argv() == ["db_worker", "--no-reload"]
    assert task_worker_argv(batch=True)[-1] == "--batch"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    assert task_worker_argv(batch=True) == [
        "rqworker",
        "default",
        "--job-class",
        "django_tasks_rq.Job",
        "--burst",
    ]

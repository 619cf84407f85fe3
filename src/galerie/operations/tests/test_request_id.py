"""Request ids: taken from a sane X-Request-ID or made up, echoed, written on every log line, and
carried into the tasks the request enqueues; JSON log lines have a fixed shape."""

import importlib
import json
import logging
import pkgutil
import re
import sys
from pathlib import Path

import pytest
from django.tasks import Task

import galerie
from galerie.core.logs import JsonFormatter, request_id_bound
from galerie.core.tasks import REQUEST_ID_KWARG, RequestIdTask
from galerie.operations.tests.probe_app import probe_task

_DJANGO_TASK_DECORATOR = re.compile(
    r"^from django\.tasks import .*\btask\b|^\s*@(django\.)?tasks?\.task\b", re.MULTILINE
)
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept_and_echoed(client):
    response = client.get("/", HTTP_X_REQUEST_ID="lb-7f3a.42:x_y")
    assert response["X-Request-ID"] == "lb-7f3a.42:x_y"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming", [None, "", "a" * 129, "bad id", 'x"}{"level":"ERROR', "é", "a\r\nSet-Cookie: x=1"]
)
def test_a_missing_or_unsafe_request_id_is_replaced(client, incoming):
    extra = {} if incoming is None else {"HTTP_X_REQUEST_ID": incoming}
    response = client.get("/", **extra)
    made_up = response["X-Request-ID"]
    assert made_up != incoming and len(made_up) == 32 and int(made_up, 16) >= 0


@pytest.mark.django_db
def test_each_request_gets_its_own_id(client):
    assert client.get("/")["X-Request-ID"] != client.get("/")["X-Request-ID"]


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_on_commit_logs_under_its_request_id(client, settings, json_log):
    settings.TASKS = IMMEDIATE
    settings.ROOT_URLCONF = "galerie.operations.tests.probe_app"
    response = client.get("/_probe/enqueue/", HTTP_X_REQUEST_ID="req-from-the-lb")
    assert response.status_code == 200
    lines = json_log.lines()
    view, task, access = (
        next(line for line in lines if line["message"] == "view enqueues"),
        next(line for line in lines if line["message"] == "task ran with hello"),
        next(line for line in lines if line["logger"] == "galerie.access"),
    )
    assert view["request_id"] == task["request_id"] == access["request_id"] == "req-from-the-lb"
    assert task["logger"] == "galerie.operations.tests.probe"


def test_a_queued_task_carries_the_id_and_runs_under_it(settings, json_log):
    """The worker side, whatever the backend: the id travels in the task's keyword arguments."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with request_id_bound("abc123"):
        result = probe_task.enqueue(word="queued")
    assert result.kwargs == {"word": "queued", REQUEST_ID_KWARG: "abc123"}
    assert probe_task.call(*result.args, **result.kwargs) == "queued"  # as a worker calls it
    [line] = json_log.lines()
    assert line["request_id"] == "abc123"


def test_a_task_enqueued_outside_a_request_runs_under_an_id_of_its_own(settings, json_log):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    result = probe_task.enqueue(word="cron")
    assert result.kwargs == {"word": "cron"}
    probe_task.call(**result.kwargs)
    [line] = json_log.lines()
    assert len(line["request_id"]) == 32


def test_every_task_of_the_project_carries_request_ids():
    """A task made with django.tasks' own `@task` would lose the id: use galerie.core.tasks."""
    plain = []
    for module_info in pkgutil.walk_packages(galerie.__path__, "galerie."):
        if not module_info.name.endswith(".tasks") or ".tests" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if isinstance(value, Task) and not isinstance(value, RequestIdTask):
                plain.append(f"{module_info.name}.{name}")
    assert plain == []


def test_no_runtime_module_declares_tasks_with_django_tasks_own_decorator():
    """The same rule for tasks declared outside a `tasks` module (a scheduler, a command)."""
    root = Path(galerie.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path != root / "core" / "tasks.py"
        and _DJANGO_TASK_DECORATOR.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use `from galerie.core.tasks import task`"


@pytest.mark.django_db
def test_access_log_line_shape(client, json_log):
    client.get("/", HTTP_X_REQUEST_ID="shape-1")
    [line] = [line for line in json_log.lines() if line["logger"] == "galerie.access"]
    assert set(line) == {
        "time", "level", "logger", "message", "request_id",
        "method", "path", "route", "status", "duration_ms",
    }  # fmt: skip
    assert line["time"].endswith("+00:00") and line["level"] == "INFO"
    assert (line["method"], line["path"], line["route"], line["status"]) == (
        "GET", "/", "home", 200,
    )  # fmt: skip
    assert isinstance(line["duration_ms"], float) and line["request_id"] == "shape-1"


def test_json_line_of_an_error_carries_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed: %s", ("it",), exc_info=True
        )
        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "failed: it" and line["request_id"] is None
    assert "ValueError: boom" in line["exception"]

"""`galerie demo`'s server and task worker live and die together: Ctrl-C or SIGTERM of the demo,
or one of them exiting, stops the other; even a demo killed outright leaves no worker behind.

Each test runs `Children` in a process of its own (it installs signal handlers), with two
`galerie shell` children standing in for the server and the worker.
"""

import json
import signal
import subprocess
import sys

import pytest
from django.test import override_settings

from galerie.demo.processes import worker_command
from galerie.testing.processes import alive, wait_until

SLEEP = ["shell", "-c", "import time; time.sleep(120)"]
EXIT = ["shell", "-c", "raise SystemExit(3)"]

HARNESS = """
import json, sys
import django
django.setup()
from galerie.demo.processes import Children

commands = json.loads(sys.argv[1])
with Children(write=print) as children:
    for name, argv in commands.items():
        children.start(name, argv)
    print(json.dumps({name: p.pid for name, p in children.processes.items()}), flush=True)
    print("exited:", children.wait(), flush=True)
"""


def harness(commands: dict) -> tuple[subprocess.Popen, dict[str, int]]:
    process = subprocess.Popen(  # noqa: S603 — our own code
        [sys.executable, "-c", HARNESS, json.dumps(commands)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, json.loads(process.stdout.readline())


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_stopping_the_demo_stops_the_server_and_the_worker(stop):
    process, pids = harness({"worker": SLEEP, "server": SLEEP})
    assert all(alive(pid) for pid in pids.values())

    process.send_signal(stop)
    out, err = process.communicate(timeout=30)

    assert process.returncode == 0, err
    assert "exited: None" in out
    assert not any(alive(pid) for pid in pids.values())


def test_the_server_exiting_stops_the_worker():
    process, pids = harness({"worker": SLEEP, "server": EXIT})

    out, err = process.communicate(timeout=30)

    assert "exited: server" in out, err
    assert not alive(pids["worker"])


def test_a_demo_killed_outright_leaves_no_worker():
    process, pids = harness({"worker": SLEEP, "server": SLEEP})

    process.kill()  # no chance to clean up: the children's parent-death signal does it
    process.wait()

    wait_until(lambda: not any(alive(pid) for pid in pids.values()), timeout=10, what="orphans")


def test_the_worker_matches_the_task_backend():
    assert worker_command()[0] == "db_worker"  # the embedded default
    redis = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=redis):
        assert worker_command() == ["rqworker", "default", "--job-class", "django_tasks_rq.Job"]

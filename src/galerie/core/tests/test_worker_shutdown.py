"""`galerie worker`, as its systemd unit starts it, stops on SIGTERM only after the task in
progress has finished and been recorded (systemd, podman and the demo stop it that way)."""

import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.tasks import task

from galerie.core.tests.test_deploy_processes import deployed_database, unit_command  # noqa: F401

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]


@task()
def slow_task(*, directory: str) -> str:
    Path(directory, "started").touch()
    time.sleep(3)
    Path(directory, "done").touch()
    return "done"


@pytest.fixture
def queued(tmp_path):
    """A task queued before deployed_database copies the database for the worker."""
    slow_task.enqueue(directory=str(tmp_path))


def test_sigterm_lets_the_task_in_progress_finish(queued, deployed_database, tmp_path):  # noqa: F811
    # Given a worker started by its unit's command, busy with a task
    env, query = deployed_database
    argv, env = unit_command("galerie-worker.service", env)
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "started").exists():
            assert worker.poll() is None and time.monotonic() < deadline, (
                tmp_path / "worker.log"
            ).read_text()
            time.sleep(0.1)
        # When systemd stops it mid-task
        worker.send_signal(signal.SIGTERM)
        returncode = worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    # Then the task finished, was recorded, and the worker exited cleanly
    assert returncode == 0, (tmp_path / "worker.log").read_text()
    assert (tmp_path / "done").exists()
    assert query(
        "SELECT status FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE '%test_worker_shutdown.slow_task'"
    ) == [("SUCCESSFUL",)]

"""gunicorn settings for `galerie serve` (`--config python:galerie.operations.gunicorn_conf`):
Prometheus' multiprocess files. The master empties PROMETHEUS_MULTIPROC_DIR when it starts
(samples of a previous run would be added to this one's) and drops a dead worker's live series.
Running gunicorn yourself: set PROMETHEUS_MULTIPROC_DIR to an empty directory and pass this file.
"""

import os
import shutil


def on_starting(server):
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

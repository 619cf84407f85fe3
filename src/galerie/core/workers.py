"""Which command runs the background tasks of settings.TASKS' default backend: django-tasks-db's
`db_worker` on the embedded default, django-rq's `rqworker` with django-tasks-rq's job class when
REDIS_URL is set. `galerie worker` and the demo start this one command."""

from django.conf import settings


def task_worker_argv(*, batch: bool = False) -> list[str]:
    """The `galerie` arguments of the worker; `batch`: run what is queued, then exit."""
    backend = settings.TASKS["default"]
    if backend["BACKEND"] == "django_tasks_rq.RQBackend":
        argv = [
            "rqworker",
            *backend.get("QUEUES", ["default"]),
            "--job-class",
            "django_tasks_rq.Job",
        ]
        return [*argv, "--burst"] if batch else argv
    argv = ["db_worker", "--no-reload"]
    return [*argv, "--batch"] if batch else argv

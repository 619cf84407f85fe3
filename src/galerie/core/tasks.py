"""Galerie's `@task`: django.tasks' Task, carrying the enqueuing request's id into the task.

Every task module uses `from galerie.core.tasks import task` instead of django.tasks' own (a test
checks it): `.enqueue()` adds the current request id to the task's keyword arguments, and the
task runs with it bound (galerie.core.logs), on any backend, so its log lines share the request's
id. A task enqueued outside any request (a cron command) runs under an id of its own.
"""

from django.tasks import Task
from django.tasks.base import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_PRIORITY
from django.tasks.base import DEFAULT_TASK_QUEUE_NAME as DEFAULT_QUEUE

from galerie.core.logs import request_id_bound, request_id_get, request_id_new

# The keyword argument that carries the id: namespaced, so that no task parameter can clash.
REQUEST_ID_KWARG = "_galerie_request_id"


def _with_request_id(kwargs: dict) -> dict:
    request_id = request_id_get()
    if request_id is None or REQUEST_ID_KWARG in kwargs:
        return kwargs
    return {**kwargs, REQUEST_ID_KWARG: request_id}


class RequestIdTask(Task):
    """A Task (frozen dataclass) whose enqueue and call carry the request id."""

    def enqueue(self, *args, **kwargs):
        return super().enqueue(*args, **_with_request_id(kwargs))

    async def aenqueue(self, *args, **kwargs):
        return await super().aenqueue(*args, **_with_request_id(kwargs))

    def call(self, *args, **kwargs):
        request_id = kwargs.pop(REQUEST_ID_KWARG, None) or request_id_new()
        with request_id_bound(request_id):
            return super().call(*args, **kwargs)

    async def acall(self, *args, **kwargs):
        request_id = kwargs.pop(REQUEST_ID_KWARG, None) or request_id_new()
        with request_id_bound(request_id):
            return await super().acall(*args, **kwargs)


def task(
    function=None,
    *,
    priority=DEFAULT_TASK_PRIORITY,
    queue_name=DEFAULT_QUEUE,
    backend=DEFAULT_TASK_BACKEND_ALIAS,
    takes_context=False,
):
    """django.tasks' `@task`, making a RequestIdTask."""

    def wrapper(f):
        return RequestIdTask(
            func=f,
            priority=priority,
            queue_name=queue_name,
            backend=backend,
            takes_context=takes_context,
        )

    return wrapper(function) if function else wrapper

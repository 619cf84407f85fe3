"""A view that enqueues a task on commit, as the checkout and the portal do, and that task: the
request-id propagation tests' subjects (a test URLconf mounts the view beside the real ones)."""

import logging

from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from galerie.core.tasks import task
from galerie.urls import urlpatterns as galerie_urlpatterns

log = logging.getLogger("galerie.operations.tests.probe")


@task
def probe_task(*, word: str) -> str:
    log.warning("task ran with %s", word)
    return word


def enqueue_view(request):
    log.warning("view enqueues")
    with transaction.atomic():
        transaction.on_commit(lambda: probe_task.enqueue(word="hello"))
    return HttpResponse("queued")


urlpatterns = [path("_probe/enqueue/", enqueue_view, name="probe_enqueue"), *galerie_urlpatterns]

"""The feed import's step for pictures: pending rows for the links, fetched after the commit."""

from django.db import transaction
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json, task_enqueued
from django_tasks_db.models import DBTaskResult, get_date_max

from galerie.catalog.models import Product
from galerie.core.outbox import task_enqueue
from galerie.media.models import ImageSource
from galerie.media.services import feed_images_create
from galerie.media.tasks import feed_images_fetch_task


def feed_images_queue(*, links: list[tuple[int, str]]) -> list[int]:
    """Record `(product id, image URL)` pairs as pending pictures and queue their download once
    the caller's transaction commits (the seller's address is never shown meanwhile)."""
    ids = feed_images_create(links=links)
    if ids:
        # One task per picture: a worker asked to stop finishes the download under way only
        # (one timeout at most), and a slow seller's host holds up none of the others.
        # Enqueued in one transaction: with the database queue, one commit (and one WAL flush)
        # for a feed batch's pictures rather than one each — that was most of an import's time.
        transaction.on_commit(lambda: _fetch_tasks_enqueue(ids), robust=True)
    return ids


def _fetch_tasks_enqueue(ids: list[int]) -> None:
    """One fetch task per picture. With the database queue, all of a batch's in one multi-row
    INSERT, the rows the backend's own `enqueue` writes one statement and one commit each (that
    was most of a feed import's time: 10,000 round trips and WAL flushes per batch)."""
    backend = feed_images_fetch_task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        for pk in ids:
            task_enqueue(feed_images_fetch_task, [pk])  # Redis down: kept in the outbox
        return
    backend.validate_task(feed_images_fetch_task)
    task = feed_images_fetch_task
    with transaction.atomic():
        results = DBTaskResult.objects.bulk_create(
            [
                DBTaskResult(
                    id=backend._get_id(),
                    args_kwargs=normalize_json({"args": ([pk],), "kwargs": {}}),
                    priority=task.priority,
                    task_path=task.module_path,
                    queue_name=task.queue_name,
                    # What the backend's pre_save handler sets, which bulk_create skips.
                    run_after=task.run_after or get_date_max(),
                    backend_name=backend.alias,
                )
                for pk in ids
            ],
            batch_size=1000,
        )
    if task_enqueued.receivers:
        for result in results:
            task_enqueued.send(type(backend), task_result=result.task_result)


def linked_pictures_queue(*, limit: int | None = None, batch: int = 500) -> int:
    """Pending pictures, downloaded in the background, for the image URLs of products that have
    no picture from them yet (products imported before pictures were kept); returns how many."""
    products = (
        Product.objects.exclude(image_urls=[])
        .exclude(images__source=ImageSource.FEED)
        .order_by("pk")
        .values_list("pk", "image_urls")
    )
    if limit is not None:
        products = products[:limit]
    queued, links = 0, []
    for pk, urls in products.iterator(chunk_size=batch):
        links.extend((pk, url) for url in (urls or [])[:1] if isinstance(url, str))
        if len(links) >= batch:
            with transaction.atomic():
                queued += len(feed_images_queue(links=links))
            links = []
    if links:
        with transaction.atomic():
            queued += len(feed_images_queue(links=links))
    return queued

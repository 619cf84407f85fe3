"""The feed import's step for pictures: pending rows for the links, fetched after the commit."""

from django.db import transaction

from galerie.catalog.models import Product
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
    with transaction.atomic():
        for pk in ids:
            feed_images_fetch_task.enqueue([pk])


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

"""The feed import's step for pictures: pending rows for the links, fetched after the commit."""

from django.db import transaction

from galerie.media.services import feed_images_create
from galerie.media.tasks import feed_images_fetch_task


def feed_images_queue(*, links: list[tuple[int, str]]) -> list[int]:
    """Record `(product id, image URL)` pairs as pending pictures and queue their download once
    the caller's transaction commits (the seller's address is never shown meanwhile)."""
    ids = feed_images_create(links=links)
    if ids:
        transaction.on_commit(lambda: feed_images_fetch_task.enqueue(ids), robust=True)
    return ids

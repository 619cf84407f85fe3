"""A feed's image_link becomes a pending picture fetched after the commit, never a link shown."""

import pytest
from django_tasks_db.models import DBTaskResult

from galerie.catalog.models import Product
from galerie.imports.services import feed_import
from galerie.imports.tests.test_import import tsv_line, write
from galerie.media.models import ImageSource, ImageStatus, ProductImage

pytestmark = pytest.mark.django_db


def queued() -> list:
    return [
        task.args_kwargs["args"][0]
        for task in DBTaskResult.objects.filter(task_path__endswith=".feed_images_fetch_task")
    ]


def test_a_new_products_image_link_is_queued_for_download(
    mappings, seller, tmp_path, django_capture_on_commit_callbacks
):
    feed = write(tmp_path / "feed.tsv", [tsv_line("IMG-1", "Bon", "10.00 EUR", "9782000000013")])

    with django_capture_on_commit_callbacks(execute=True):
        feed_import(seller=seller, path=str(feed))

    product = Product.objects.get(gtin="9782000000013")
    image = ProductImage.objects.get(product=product)
    assert (image.source, image.status) == (ImageSource.FEED, ImageStatus.PENDING)
    assert image.source_url == "https://x.example/IMG-1.jpg"
    assert queued() == [[image.pk]]

    # The same feed again: the product exists, its link is not queued twice.
    with django_capture_on_commit_callbacks(execute=True):
        feed_import(seller=seller, path=str(feed))
    assert ProductImage.objects.count() == 1 and len(queued()) == 1

"""`galerie fetch-pictures`: products that only link to their seller's picture (imported before
the project kept its own) get it downloaded in the background, once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from galerie.media.models import ImageSource, ImageStatus, ProductImage
from galerie.testing.factories import make_category, make_product

pytestmark = pytest.mark.django_db


def _queued() -> list:
    return [
        task.args_kwargs["args"][0]
        for task in DBTaskResult.objects.filter(task_path__endswith=".feed_images_fetch_task")
    ]


def test_linked_pictures_are_queued_once_and_products_without_links_are_left(
    django_capture_on_commit_callbacks,
):
    romans = make_category("Romans", slug="romans")
    linked = make_product("Le Phare", category=romans)
    linked.image_urls = ["https://vendeur.example/phare.jpg", "https://vendeur.example/dos.jpg"]
    linked.save(update_fields=["image_urls"])
    make_product("Sans image", category=romans)
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("fetch_pictures", stdout=out)

    image = ProductImage.objects.get()
    assert (image.product, image.source, image.status) == (
        linked,
        ImageSource.FEED,
        ImageStatus.PENDING,
    )
    assert image.source_url == "https://vendeur.example/phare.jpg"
    assert _queued() == [[image.pk]] and "1 image(s)" in out.getvalue()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("fetch_pictures", stdout=StringIO())
    assert ProductImage.objects.count() == 1 and len(_queued()) == 1


def test_a_limit_below_one_is_refused_and_changes_nothing():
    linked = make_product("Le Phare", category=make_category("Romans", slug="romans"))
    linked.image_urls = ["https://vendeur.example/phare.jpg"]
    linked.save(update_fields=["image_urls"])
    err = StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("fetch_pictures", limit=0, stderr=err)

    assert exited.value.code == 2 and "--limit" in err.getvalue()
    assert not ProductImage.objects.exists()

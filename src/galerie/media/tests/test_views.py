"""/media/<digest>-<width>.webp: served with DEBUG off, cached a year, nothing else reachable."""

import pytest
from django.test import override_settings

from galerie.media.demo import demo_pictures_create
from galerie.media.imaging import thumbnail_path
from galerie.media.models import ImageStatus, ProductImage
from galerie.media.services import product_image_add
from galerie.media.tests.conftest import picture

pytestmark = pytest.mark.usefixtures("db")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@override_settings(DEBUG=False)
@pytest.mark.parametrize("host", ["culture.localhost", "localhost"])
def test_a_thumbnail_is_served_with_a_year_of_cache(client, product, host):
    image = product_image_add(product=product, upload=picture())

    response = client.get(f"/media/{image.digest}-400.webp", HTTP_HOST=host)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert body(response) == thumbnail_path(image.digest, 400).read_bytes()


@override_settings(DEBUG=False)
def test_a_missing_thumbnail_is_made_again_from_the_original(client, product):
    image = product_image_add(product=product, upload=picture())
    thumbnail_path(image.digest, 160).unlink()

    response = client.get(f"/media/{image.digest}-160.webp")

    assert response.status_code == 200 and thumbnail_path(image.digest, 160).exists()


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    "path",
    [
        "/media/../settings.py",
        "/media/%2e%2e/%2e%2e/settings.py",
        "/media/..%2f..%2fsecret_key",
        "/media/originals/",
        "/media/" + "0" * 64 + "-400.webp/../../secret_key",
        "/media/" + "A" * 64 + "-400.webp",
        "/media/" + "0" * 64 + "-401.webp",  # not a thumbnail width
        "/media/" + "0" * 64 + "-400.webp",  # no such picture
        "/media/" + "0" * 64 + "-400.png",
    ],
)
def test_only_thumbnail_names_of_ready_pictures_are_served(client, product, path):
    product_image_add(product=product, upload=picture())

    assert client.get(path).status_code == 404


@override_settings(DEBUG=False)
def test_a_pending_or_failed_picture_is_not_served(client, product):
    image = product_image_add(product=product, upload=picture())
    thumbnail_path(image.digest, 400).unlink()
    ProductImage.objects.filter(pk=image.pk).update(status=ImageStatus.FAILED)

    assert client.get(f"/media/{image.digest}-400.webp").status_code == 404


@override_settings(DEBUG=False)
def test_a_demo_picture_is_drawn_on_its_first_request_only(client, product):
    demo_pictures_create()
    image = ProductImage.objects.get(product=product)
    path = thumbnail_path(image.digest, 160)
    assert not path.exists()

    first = client.get(f"/media/{image.digest}-160.webp")
    drawn = path.stat().st_mtime_ns
    again = client.get(f"/media/{image.digest}-160.webp")

    assert first.status_code == again.status_code == 200
    assert body(first) == body(again) and path.stat().st_mtime_ns == drawn
    assert not thumbnail_path(image.digest, 800).exists()  # only the size asked for


def test_the_view_answers_get_and_head_only(client, product):
    image = product_image_add(product=product, upload=picture())
    assert client.post(f"/media/{image.digest}-400.webp").status_code == 405

"""Uploads through product_image_add: what is accepted, what is refused, and what is written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from galerie.core.versions import product_key, versions_get
from galerie.media.errors import ImageRefused
from galerie.media.imaging import thumbnail_path
from galerie.media.models import ImageSource, ImageStatus, ProductImage
from galerie.media.selectors import product_gallery, product_pictures_attach
from galerie.media.services import product_image_add, product_image_delete
from galerie.media.tests.conftest import bomb, picture
from galerie.testing.factories import make_product


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_an_accepted_picture_is_stored_with_its_thumbnails(product, media_root, fmt):
    data = picture(fmt)
    upload = SimpleUploadedFile(f"photo.{fmt.lower()}", data, content_type="image/jpeg")

    image = product_image_add(product=product, upload=upload, alt="Couverture")

    image.refresh_from_db()
    assert image.status == ImageStatus.READY and image.source == ImageSource.UPLOAD
    assert (image.width, image.height) == (1000, 750)
    assert (media_root / image.original).read_bytes() == data
    for width in (160, 400, 800):
        with Image.open(thumbnail_path(image.digest, width)) as thumb:
            assert thumb.format == "WEBP"
            assert thumb.size == (width, round(750 * width / 1000))


def test_a_narrow_picture_is_never_enlarged(product):
    image = product_image_add(product=product, upload=picture(size=(500, 500)))

    assert thumbnail_path(image.digest, 400).exists()
    assert not thumbnail_path(image.digest, 800).exists()
    assert product_gallery(product)[0].srcset.endswith("-400.webp 400w")


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (picture("GIF", mode="P"), "image_type", "JPEG, PNG ou WebP seulement"),
        (picture("BMP"), "image_type", "JPEG, PNG ou WebP seulement"),
        (b"<html>not a picture</html>", "image_invalid", "pas une image lisible"),
        (picture("JPEG")[:600], "image_invalid", "pas une image lisible"),  # truncated
        (bomb(), "image_too_many_pixels", "trop grande"),
        (picture(size=(100, 400)), "image_too_small", "trop petite"),
    ],
    ids=["gif", "bmp", "text", "truncated", "bomb", "narrow"],
)
def test_a_refused_picture_changes_nothing(product, media_root, data, code, words):
    with pytest.raises(ImageRefused) as refused:
        product_image_add(product=product, upload=SimpleUploadedFile("x.jpg", data))

    assert refused.value.code == code and words in refused.value.message
    assert not ProductImage.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_the_bomb_is_refused_from_its_header_before_decoding(product, settings):
    assert len(bomb()) < 100_000  # a small file…
    settings.GALERIE_IMAGE_MAX_PIXELS = 2_000_000
    with pytest.raises(ImageRefused) as refused:
        product_image_add(product=product, upload=picture(size=(2000, 1001)))
    assert refused.value.code == "image_too_many_pixels"


def test_a_file_over_the_byte_cap_is_refused_before_it_is_read(product, settings):
    settings.GALERIE_IMAGE_MAX_BYTES = 10_000

    class Unread(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read")

    upload = Unread("big.png", b"\0" * 10_001)

    with pytest.raises(ImageRefused) as refused:
        product_image_add(product=product, upload=upload)
    assert refused.value.code == "image_too_large" and "trop lourde" in refused.value.message


def test_the_same_picture_twice_on_one_product_is_refused(product):
    product_image_add(product=product, upload=picture())
    with pytest.raises(ImageRefused) as refused:
        product_image_add(product=product, upload=picture())
    assert refused.value.code == "image_duplicate"
    assert ProductImage.objects.count() == 1


def test_pictures_keep_their_order_and_the_first_is_the_cards(product):
    first = product_image_add(product=product, upload=picture(colour=(1, 2, 3)))
    second = product_image_add(product=product, upload=picture(colour=(9, 9, 9)), alt="Dos")

    assert [p.digest for p in product_gallery(product)] == [first.digest, second.digest]
    assert [p.alt for p in product_gallery(product)] == ["Les Misérables", "Dos"]
    other = make_product("Sans image")
    product_pictures_attach([product, other])
    assert product.picture.digest == first.digest and other.picture is None


def test_a_shown_change_bumps_the_product_page_version(product):
    before = versions_get([product_key(product.pk)])[product_key(product.pk)]
    image = product_image_add(product=product, upload=picture())
    middle = versions_get([product_key(product.pk)])[product_key(product.pk)]
    product_image_delete(image=image)
    after = versions_get([product_key(product.pk)])[product_key(product.pk)]
    assert before < middle < after


def test_a_quarter_turned_photo_keeps_its_shown_size(product):
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # shown rotated 90°
    Image.new("RGB", (1000, 600), (10, 20, 30)).save(out, "JPEG", exif=exif)

    image = product_image_add(product=product, upload=out.getvalue())

    assert (image.width, image.height) == (600, 1000)
    with Image.open(thumbnail_path(image.digest, 400)) as thumb:
        assert thumb.size == (400, 667)

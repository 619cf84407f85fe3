"""Product pictures travel inside the storefront archive: the buyer's installation gets each
uploaded picture's file back from the archive, checked as an upload is; a demo picture is drawn
again; a file that is not the picture its row names is refused with the line, nothing written."""

import base64
import io
import json
import shutil

import pytest
from PIL import Image

from galerie.carveout.archive import ArchiveError, data_member
from galerie.carveout.export import storefront_export
from galerie.carveout.importer import storefront_import
from galerie.carveout.tests.test_catalogue_entities import _rewrite
from galerie.media.imaging import media_root
from galerie.media.models import ImageSource, ImageStatus, ProductImage
from galerie.media.services import product_image_add, thumbnail_file
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db


def _png(colour: str, size=(320, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def shop(tmp_path):
    books = make_category("Livres", slug="livres")
    culture = make_storefront("culture", name="Culture", categories=[books])
    seller = make_seller("Galerie SA", slug="galerie", is_operator=True, siren="732829320")
    novel = make_product("Le Phare", category=books)
    make_offer(novel, seller=seller, price="12.00")
    picture = product_image_add(product=novel, upload=_png("navy"), alt="Couverture bleue")
    demo = make_product("L'Atelier", category=books)
    make_offer(demo, seller=seller, price="9.00")
    drawn = ProductImage.objects.create(
        product=demo,
        source=ImageSource.DEMO,
        status=ImageStatus.READY,
        digest="ab" * 32,
        width=600,
        height=900,
    )
    path = tmp_path / "culture.zip"
    storefront_export(storefront=culture, path=path)
    return culture, novel, picture, demo, drawn, path


def _forget_pictures():
    """The buyer's installation: the same products (matched by GTIN), none of the pictures."""
    ProductImage.objects.all().delete()
    shutil.rmtree(media_root(), ignore_errors=True)


def _import(path):
    return storefront_import(path=path, rename_slug="culture-bis", hosts=["culture-bis.localhost"])


def test_an_uploaded_picture_arrives_with_its_file_and_a_demo_one_is_drawn_again(shop):
    _culture, novel, picture, demo, drawn, path = shop
    original = (media_root() / picture.original).read_bytes()
    _forget_pictures()

    _import(path)

    arrived = ProductImage.objects.get(product=novel)
    assert (arrived.digest, arrived.alt, arrived.status) == (
        picture.digest,
        "Couverture bleue",
        ImageStatus.READY,
    )
    assert (media_root() / arrived.original).read_bytes() == original
    assert thumbnail_file(digest=arrived.digest, width=160).is_file()
    again = ProductImage.objects.get(product=demo)
    assert (again.source, again.digest, again.original) == (ImageSource.DEMO, drawn.digest, "")
    assert thumbnail_file(digest=again.digest, width=160).is_file()


def test_a_picture_the_target_already_shows_is_not_doubled(shop):
    _culture, novel, *_rest, path = shop

    _import(path)

    assert ProductImage.objects.filter(product=novel).count() == 1


def _swap_content(path, data: bytes) -> None:
    def change(text: str) -> str:
        rows = [json.loads(line) for line in text.splitlines() if line]
        for row in rows:
            if row["content"]:
                row["content"] = base64.b64encode(data).decode()
        return "".join(json.dumps(row) + "\n" for row in rows)

    _rewrite(path, data_member("product_pictures"), change)


@pytest.mark.parametrize(
    "data, message",
    [
        (_png("red"), "n'est pas l'image annoncée"),
        (b"<html>not a picture</html>", "image refusée"),
    ],
)
def test_a_file_that_is_not_the_named_picture_is_refused_and_nothing_is_written(
    shop, data, message
):
    *_rest, path = shop
    _swap_content(path, data)
    _forget_pictures()

    with pytest.raises(ArchiveError, match="product_pictures, ligne 1") as refused:
        _import(path)

    # The import stops at the pictures file (the files before it are in, resumable): no picture
    # row and no file from the bad line.
    assert message in str(refused.value)
    assert not ProductImage.objects.exists()
    assert not [p for p in media_root().rglob("*") if p.is_file()]

"""Sellers add pictures to the products they sell, through the same checks as the back office."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from galerie.catalog.models import Product
from galerie.media.models import ImageStatus, ProductImage
from galerie.testing.factories import valid_ean

pytestmark = pytest.mark.django_db


def photo(fmt="JPEG", size=(600, 600)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(out, fmt)
    return SimpleUploadedFile(f"photo.{fmt.lower()}", out.getvalue())


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_seller_adds_a_picture_to_a_product_it_sells(world, as_user):
    client = as_user(world.users.staff_a)
    product = world.offer_a.product
    url = f"/vendeur/produits/{product.pk}/photos/"

    assert client.get(url).status_code == 200
    response = client.post(url, {"image": photo(), "alt": "Pochette"})

    assert response.status_code == 302
    image = ProductImage.objects.get(product=product)
    assert (image.status, image.alt) == (ImageStatus.READY, "Pochette")


def test_a_seller_cannot_add_a_picture_to_a_product_it_does_not_sell(world, as_user):
    client = as_user(world.users.owner_a)
    foreign = world.offer_b.product  # seller B's

    assert client.get(f"/vendeur/produits/{foreign.pk}/photos/").status_code == 404
    response = client.post(f"/vendeur/produits/{foreign.pk}/photos/", {"image": photo()})

    assert response.status_code == 404
    assert not ProductImage.objects.exists()


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (photo("GIF"), "JPEG, PNG ou WebP seulement"),
        (SimpleUploadedFile("x.jpg", b"not a picture"), "pas une image lisible"),
        (photo(size=(100, 100)), "trop petite"),
    ],
)
def test_a_refused_picture_is_a_form_error(world, as_user, upload, words):
    client = as_user(world.users.owner_a)
    product = world.offer_a.product

    response = client.post(f"/vendeur/produits/{product.pk}/photos/", {"image": upload})

    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors["image"])
    assert not ProductImage.objects.exists()


def test_a_new_product_sheet_takes_its_picture(world, as_user):
    client = as_user(world.users.owner_a)
    form = {
        "title": "Nouveau disque",
        "product_type": world.offer_a.product.product_type_id,
        "category": world.category.pk,
        "gtin": valid_ean(),
    }

    refused = client.post("/vendeur/produits/nouveau/", {**form, "image": photo("GIF")})
    assert "JPEG, PNG ou WebP" in " ".join(refused.context["form"].errors["image"])
    assert not Product.objects.filter(title="Nouveau disque").exists()

    created = client.post("/vendeur/produits/nouveau/", {**form, "image": photo()})
    assert created.status_code == 302, created.context["form"].errors
    product = Product.objects.get(title="Nouveau disque")
    assert product.images.get().status == ImageStatus.READY

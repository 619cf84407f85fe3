"""Every demo product has a picture, drawn the same way every time, offline."""

import io

import pytest
from PIL import Image

from galerie.catalog.models import Product
from galerie.demo.services import demo_load
from galerie.media.demo import demo_picture_draw
from galerie.media.models import ImageSource, ImageStatus, ProductImage
from galerie.media.selectors import product_pictures_attach

pytestmark = pytest.mark.django_db


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_every_demo_product_has_a_ready_picture_of_its_kind():
    demo_load(products=200)

    products = list(Product.objects.select_related("product_type", "category"))
    assert not Product.objects.filter(images=None).exists()
    pictures = ProductImage.objects.filter(source=ImageSource.DEMO, status=ImageStatus.READY)
    assert pictures.count() == len(products)
    product_pictures_attach(products)
    assert all(p.picture is not None for p in products)

    # One of each product type, drawn twice: the same pixels, the size the row announced.
    seen = {}
    for product in products:
        seen.setdefault(product.product_type.slug, product)
    assert {"livre", "musique", "video", "smartphone", "voyage"} <= seen.keys()
    for product in seen.values():
        drawn = demo_picture_draw(product)
        assert png(drawn) == png(demo_picture_draw(product))
        assert drawn.size == (product.picture.width, product.picture.height)


def test_loading_again_adds_no_second_picture():
    demo_load(products=50)
    count = ProductImage.objects.count()
    demo_load(products=50)
    assert ProductImage.objects.count() == count == Product.objects.count()

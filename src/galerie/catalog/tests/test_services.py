"""Creating a product through the catalogue service, which the portal (and any interface) calls."""

from decimal import Decimal

import pytest

from galerie.catalog.errors import ProductError
from galerie.catalog.models import Product
from galerie.catalog.services import product_create
from galerie.testing.factories import make_book_type, make_category, valid_ean

pytestmark = pytest.mark.django_db


def test_a_book_without_publisher_price_is_refused_and_nothing_is_created():
    category = make_category()
    with pytest.raises(ProductError) as refused:
        product_create(
            title="Un livre",
            gtin=valid_ean("978"),
            product_type=make_book_type(),
            category=category,
        )
    assert refused.value.field == "publisher_price"
    assert not Product.objects.filter(title="Un livre").exists()


def test_two_products_with_the_same_title_get_distinct_slugs():
    category, book = make_category(), make_book_type()
    fields = {"product_type": book, "category": category, "publisher_price": Decimal("9.90")}
    first = product_create(title="  Le   Titre ", gtin=valid_ean("978"), **fields)
    second = product_create(title="Le Titre", gtin=valid_ean("978"), **fields)
    assert first.title == "Le Titre" and first.publisher_price == Decimal("9.90")
    assert first.slug == f"le-titre-{first.gtin}" and second.slug == f"le-titre-{second.gtin}"
    assert Product.objects.filter(title="Le Titre").count() == 2

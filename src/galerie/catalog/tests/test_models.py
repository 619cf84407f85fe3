import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from galerie.catalog.models import AttributeValue, Category, Product
from galerie.catalog.selectors import category_descendant_ids
from galerie.testing.factories import (
    make_book_type,
    make_category,
    make_product,
    make_product_type,
)

pytestmark = pytest.mark.django_db


def test_isbn10_is_stored_as_isbn13():
    product = make_product(gtin="2-07-036822-X")
    assert Product.objects.get(pk=product.pk).gtin == "9782070368228"


def test_same_gtin_written_differently_is_one_product():
    make_product(gtin="207036822X")
    with pytest.raises(IntegrityError):
        make_product(gtin="978-2-07-036822-8")


def test_clean_reports_bad_gtin_on_the_field():
    product = Product(
        title="X",
        slug="x",
        gtin="9782070368229",
        category=make_category(),
        product_type=make_product_type(),
    )
    with pytest.raises(ValidationError) as exc:
        product.full_clean()
    assert "Clé de contrôle" in str(exc.value.message_dict["gtin"])


def test_gtin_required_unless_the_type_allows_none():
    needs = make_product_type("dvd", gtin_required=True)
    travel = make_product_type("voyage", gtin_required=False)
    category = make_category()
    without = Product(title="Séjour", slug="sejour", category=category, product_type=travel)
    without.full_clean()  # allowed
    missing = Product(title="Film", slug="film", category=category, product_type=needs)
    with pytest.raises(ValidationError) as exc:
        missing.full_clean()
    assert "obligatoire" in str(exc.value.message_dict["gtin"])


def test_products_without_gtin_do_not_collide():
    travel = make_product_type("voyage", gtin_required=False)
    make_product(product_type=travel, gtin=None)
    make_product(product_type=travel, gtin="")
    assert Product.objects.filter(gtin__isnull=True).count() == 2


def test_category_paths_and_descendants_follow_moves():
    books = make_category("Livres")
    novels = make_category("Romans", parent=books)
    crime = make_category("Policiers", parent=novels)
    music = make_category("Musique")
    assert crime.path == f"/{books.pk}/{novels.pk}/{crime.pk}/"
    assert crime.depth == 2
    assert set(category_descendant_ids([books.pk])) == {books.pk, novels.pk, crime.pk}

    novels.parent = music
    novels.save()
    crime.refresh_from_db()
    assert crime.path == f"/{music.pk}/{novels.pk}/{crime.pk}/"
    assert set(category_descendant_ids([books.pk])) == {books.pk}


def test_category_cannot_be_its_own_ancestor():
    root = make_category("Racine")
    child = make_category("Enfant", parent=root)
    root.parent = child
    with pytest.raises(ValidationError):
        root.clean()
    assert Category.objects.get(pk=root.pk).parent is None


def test_attribute_values_are_typed_and_displayed():
    book = make_book_type()
    laptop = make_product_type("portable")
    ram = laptop.attributes.create(code="ram", name="Mémoire", kind="integer", is_facet=True)
    energy = laptop.attributes.create(
        code="classe", name="Classe", kind="choice", choices=["A", "B"]
    )
    product = make_product(product_type=book, attributes={"author": "Victor Hugo"})
    value = product.attribute_values.get()
    assert (value.value, value.facet_value) == ("Victor Hugo", "Victor Hugo")

    laptop_product = make_product(product_type=laptop, attributes={"ram": 16})
    assert laptop_product.attribute_values.get(attribute=ram).facet_value == "16"
    bad = AttributeValue(product=laptop_product, attribute=energy, value_text="Z")
    with pytest.raises(ValidationError, match="n'est pas un choix possible"):
        bad.clean()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:image/png;base64,AAAA", "file:///x"])
def test_product_images_are_http_addresses_only(url):
    product = make_product()
    product.image_urls = ["https://images.example/ok.jpg", url]

    with pytest.raises(ValidationError) as refused:
        product.full_clean()

    assert "image_urls" in refused.value.message_dict
    product.image_urls = ["https://images.example/ok.jpg", "http://images.example/b.png"]
    product.full_clean()

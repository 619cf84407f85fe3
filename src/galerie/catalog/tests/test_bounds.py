"""Issue 13: the catalogue's numeric columns have their range once, in catalog.limits, on the
models (validators and CHECK constraints); the admin, the portal's product form and the product
service read it. A value beyond it is a form error naming the field, and nothing changes."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from galerie.catalog.errors import ProductError
from galerie.catalog.models import Category, Product
from galerie.catalog.services import product_create
from galerie.portal.tests.conftest import as_user, world  # noqa: F401
from galerie.testing.admin import admin_form_data
from galerie.testing.factories import make_category, make_product, make_product_type, valid_ean

pytestmark = pytest.mark.django_db


def _product_page(admin_client, product, **changes):
    url = f"/admin/catalog/product/{product.pk}/change/"
    return admin_client.post(url, admin_form_data(admin_client.get(url)) | changes)


def _row(product) -> tuple:
    return Product.objects.values_list("publisher_price", "weight_kg", "updated_at").get(
        pk=product.pk
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weight_kg", "1000.001"),
        ("weight_kg", "0"),
        ("weight_kg", "-1"),
        ("weight_kg", "1e30"),
        ("publisher_price", "1000000.01"),
        ("publisher_price", "0"),
        ("publisher_price", "10000000000"),
    ],
)
def test_admin_product_page_refuses_out_of_range_and_changes_nothing(admin_client, field, value):
    product = make_product("Le Phare", publisher_price=Decimal("20.00"))
    before = _row(product)

    response = _product_page(admin_client, product, **{field: value})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert _row(product) == before


def test_admin_product_page_takes_the_bounds_themselves(admin_client):
    product = make_product("Le Phare")

    response = _product_page(
        admin_client, product, weight_kg="1000.000", publisher_price="1000000.00"
    )

    assert response.status_code == 302
    assert _row(product)[:2] == (Decimal("1000000.00"), Decimal("1000.000"))


def test_admin_category_position_beyond_its_bound_is_refused(admin_client):
    category = make_category("Livres", slug="livres")
    url = f"/admin/catalog/category/{category.pk}/change/"

    refused = admin_client.post(url, {"name": "Livres", "slug": "livres", "position": "1001"})
    accepted = admin_client.post(url, {"name": "Livres", "slug": "livres", "position": "1000"})

    assert refused.status_code == 200 and refused.context["adminform"].form.errors["position"]
    assert accepted.status_code == 302
    assert Category.objects.get(pk=category.pk).position == 1000


@pytest.mark.parametrize("value", ["1000000.01", "1e30", "0"])
def test_portal_product_form_refuses_a_publisher_price_out_of_range(world, as_user, value):  # noqa: F811
    response = as_user(world.users.owner_a).post(
        "/vendeur/produits/nouveau/",
        {
            "title": "Nouveau livre",
            "product_type": world.book_type.pk,
            "category": world.category.pk,
            "gtin": valid_ean("978"),
            "publisher_price": value,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["publisher_price"]
    assert not Product.objects.filter(title="Nouveau livre").exists()


@pytest.mark.parametrize("value", [Decimal("1E+30"), Decimal("1000000.01"), Decimal("-1"), 1.5])
def test_product_service_names_the_field_before_any_write(value):
    with pytest.raises(ProductError) as refused:
        product_create(
            title="Hors bornes",
            gtin=valid_ean(),
            product_type=make_product_type(),
            category=make_category(),
            publisher_price=value,
        )

    assert refused.value.field == "publisher_price"
    assert not Product.objects.filter(title="Hors bornes").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weight_kg", Decimal("1000.001")),
        ("publisher_price", Decimal("1000000.01")),
        ("best_price", Decimal("1000000.01")),
        ("price_used", Decimal("0.00")),
    ],
)
def test_the_check_constraints_hold_the_same_bounds(field, value):
    product = make_product()

    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(**{field: value})

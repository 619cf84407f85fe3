"""Issue 13: a cart line holds 1…LINE_QUANTITY_MAX units (orders.limits), written once on the
model (validators and CHECK constraint) and read by the API schema and the service. 10^12 units,
2^63 or a negative number are a clear 422 or form error naming the quantity, never a 500 nor an
integer overflow on PostgreSQL, and the cart is left as it was."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from galerie.cart.models import CartLine
from galerie.orders.limits import LINE_QUANTITY_MAX
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront

pytestmark = pytest.mark.django_db

HOST = "culture.localhost"
OUT_OF_RANGE = [10**12, 2**63, 2**64, -1, 0, LINE_QUANTITY_MAX + 1]


@pytest.fixture
def offer():
    category = make_category("Livres")
    make_storefront("culture", categories=[category])
    return make_offer(make_product("Germinal", category=category), stock=LINE_QUANTITY_MAX + 5)


def _assert_422_naming_quantity(response) -> None:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_params"
    assert "quantity" in body["message"]


@pytest.mark.parametrize("quantity", OUT_OF_RANGE)
def test_api_add_out_of_range_is_422_and_adds_nothing(offer, quantity):
    response = Client(HTTP_HOST=HOST).post(
        "/api/cart/lines",
        {"offer_id": offer.pk, "quantity": quantity},
        content_type="application/json",
    )

    _assert_422_naming_quantity(response)
    assert not CartLine.objects.exists()


def test_api_add_the_maximum_is_accepted(offer):
    response = Client(HTTP_HOST=HOST).post(
        "/api/cart/lines",
        {"offer_id": offer.pk, "quantity": LINE_QUANTITY_MAX},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert CartLine.objects.get().quantity == LINE_QUANTITY_MAX


@pytest.mark.parametrize("quantity", [10**12, 2**63, -1, LINE_QUANTITY_MAX + 1])
def test_api_update_out_of_range_is_422_and_leaves_the_line(offer, quantity):
    client = Client(HTTP_HOST=HOST)
    added = client.post(
        "/api/cart/lines", {"offer_id": offer.pk, "quantity": 2}, content_type="application/json"
    )
    line = CartLine.objects.get()

    response = client.patch(
        f"/api/cart/lines/{line.pk}",
        {"quantity": quantity},
        content_type="application/json",
        HTTP_X_CART_TOKEN=added["X-Cart-Token"],
    )

    _assert_422_naming_quantity(response)
    line.refresh_from_db()
    assert line.quantity == 2


@pytest.mark.parametrize("quantity", ["1000000000000", str(2**63), "-1", "100", "9" * 5000])
def test_page_add_out_of_range_says_so_and_adds_nothing(offer, quantity):
    response = Client(HTTP_HOST=HOST).post(
        "/panier/ajouter/", {"offer_id": offer.pk, "quantity": quantity}, follow=True
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "La quantité doit" in page
    assert not CartLine.objects.exists()


def test_page_update_out_of_range_says_so_and_leaves_the_line(offer):
    client = Client(HTTP_HOST=HOST)
    client.post("/panier/ajouter/", {"offer_id": offer.pk, "quantity": 3})
    line = CartLine.objects.get()

    response = client.post(f"/panier/lignes/{line.pk}/", {"quantity": "1000000000000"}, follow=True)

    assert response.status_code == 200
    assert f"comprise entre 1 et {LINE_QUANTITY_MAX}" in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == 3


def test_the_model_and_the_database_hold_the_same_bound(offer):
    client = Client(HTTP_HOST=HOST)
    client.post("/panier/ajouter/", {"offer_id": offer.pk})
    line = CartLine.objects.get()

    line.quantity = LINE_QUANTITY_MAX + 1
    with pytest.raises(ValidationError) as refused:
        line.full_clean()
    assert "quantity" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        CartLine.objects.filter(pk=line.pk).update(quantity=LINE_QUANTITY_MAX + 1)

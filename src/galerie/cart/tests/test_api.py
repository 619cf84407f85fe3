"""Cart API: token or session carts, the same rules as the pages, JSON errors with stable codes."""

import pytest
from django.test import Client

from galerie.cart.models import CartLine
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    category = make_category("Livres")
    make_storefront("culture", categories=[category])
    return category


@pytest.fixture
def api():
    return Client(HTTP_HOST="culture.localhost")


def test_add_returns_token_and_grouped_cart(api, category):
    offer = make_offer(make_product("Germinal", category=category), price="8.00", stock=5)

    response = api.post(
        "/api/cart/lines", {"offer_id": offer.pk, "quantity": 2}, content_type="application/json"
    )

    assert response.status_code == 201
    body = response.json()
    token = response["X-Cart-Token"]
    assert body["token"] == token
    [group] = body["groups"]
    assert group["lines"][0]["title"] == "Germinal" and group["subtotal"] == "16.00"
    assert group["delivery_options"][0]["label"] == "Livraison standard"
    # A token client without cookies finds the same cart.
    again = Client(HTTP_HOST="culture.localhost").get("/api/cart", HTTP_X_CART_TOKEN=token)
    assert again.json()["items_total"] == "16.00"


def test_more_than_stock_is_409_json_and_nothing_changes(api, category):
    offer = make_offer(make_product("Germinal", category=category), stock=1)
    response = api.post(
        "/api/cart/lines", {"offer_id": offer.pk, "quantity": 2}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_enough_stock"
    assert "il ne reste qu'un exemplaire" in response.json()["message"]
    assert not CartLine.objects.exists()


def test_bad_quantity_and_unknown_offer(api, category):
    offer = make_offer(make_product(category=category))
    bad = api.post(
        "/api/cart/lines", {"offer_id": offer.pk, "quantity": 0}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_params"
    unknown = api.post("/api/cart/lines", {"offer_id": 424242}, content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "offer_unavailable"
    assert not CartLine.objects.exists()


def test_update_and_remove_lines(api, category):
    offer = make_offer(make_product(category=category), stock=5)
    token = api.post("/api/cart/lines", {"offer_id": offer.pk}, content_type="application/json")[
        "X-Cart-Token"
    ]
    line = CartLine.objects.get()
    headers = {"HTTP_X_CART_TOKEN": token}

    updated = api.patch(
        f"/api/cart/lines/{line.pk}", {"quantity": 4}, content_type="application/json", **headers
    )
    assert updated.status_code == 200 and updated.json()["groups"][0]["lines"][0]["quantity"] == 4
    too_many = api.patch(
        f"/api/cart/lines/{line.pk}", {"quantity": 6}, content_type="application/json", **headers
    )
    assert too_many.status_code == 409
    removed = api.delete(f"/api/cart/lines/{line.pk}", **headers)
    assert removed.status_code == 200 and removed.json()["groups"] == []


def test_foreign_ids_and_tokens_are_404(api, category):
    offer = make_offer(make_product(category=category))
    victim = Client(HTTP_HOST="culture.localhost")
    victim_token = victim.post(
        "/api/cart/lines", {"offer_id": offer.pk}, content_type="application/json"
    )["X-Cart-Token"]
    their_line = CartLine.objects.get()
    mine = api.post(
        "/api/cart/lines", {"offer_id": make_offer(make_product(category=category)).pk},
        content_type="application/json",
    )["X-Cart-Token"]  # fmt: skip

    for call in (
        lambda: api.patch(f"/api/cart/lines/{their_line.pk}", {"quantity": 1},
                          content_type="application/json", HTTP_X_CART_TOKEN=mine),
        lambda: api.delete(f"/api/cart/lines/{their_line.pk}", HTTP_X_CART_TOKEN=mine),
        lambda: api.get("/api/cart", HTTP_X_CART_TOKEN="made-up-token"),
    ):  # fmt: skip
        response = call()
        assert response.status_code == 404 and response.json()["code"] in {
            "cart_line_not_found",
            "cart_not_found",
        }
    # A token is only valid on its own storefront.
    make_storefront("musique", categories=[category])
    other_shop = Client(HTTP_HOST="musique.localhost")
    assert other_shop.get("/api/cart", HTTP_X_CART_TOKEN=victim_token).status_code == 404
    assert CartLine.objects.filter(pk=their_line.pk).exists()


def test_session_cart_changes_need_csrf(category):
    offer = make_offer(make_product(category=category))
    strict = Client(enforce_csrf_checks=True, HTTP_HOST="culture.localhost")
    strict.get("/")  # a browser with a session cookie: its ambient credential could be forged
    strict.cookies["sessionid"] = "x" * 32
    response = strict.post(
        "/api/cart/lines", {"offer_id": offer.pk}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    assert not CartLine.objects.exists()


def test_an_api_client_without_cookies_creates_its_first_cart(category):
    offer = make_offer(make_product(category=category))
    fresh = Client(enforce_csrf_checks=True, HTTP_HOST="culture.localhost")
    response = fresh.post(
        "/api/cart/lines", {"offer_id": offer.pk}, content_type="application/json"
    )
    assert response.status_code == 201 and response["X-Cart-Token"]
    assert CartLine.objects.get().offer == offer


def test_no_storefront_is_404(category):
    response = Client().get("/api/cart")
    assert response.status_code == 404 and response.json()["code"] == "not_found"

"""Checkout API: quote, place with Idempotency-Key, payment start, errors as JSON."""

import pytest
from django.test import Client

from galerie.cart.models import CartLine
from galerie.orders.models import Order
from galerie.sellers.models import Offer
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db
ADDRESS = {
    "name": "Marie Curie",
    "line1": "11 rue Pierre et Marie Curie",
    "postcode": "75005",
    "city": "Paris",
}


@pytest.fixture
def offers():
    category = make_category("Livres")
    make_storefront("culture", categories=[category])
    return [
        make_offer(make_product(f"Livre {n}", category=category), seller=make_seller(), stock=2)
        for n in range(3)
    ]


@pytest.fixture
def api():
    return Client(HTTP_HOST="culture.localhost")


def _cart(api, *offers) -> str:
    token = None
    for offer in offers:
        headers = {"HTTP_X_CART_TOKEN": token} if token else {}
        response = api.post(
            "/api/cart/lines", {"offer_id": offer.pk}, content_type="application/json", **headers
        )
        assert response.status_code == 201, response.json()
        token = response["X-Cart-Token"]
    return token


def _place(api, token, key, **body):
    payload = {"email": "marie@example.fr", "shipping_address": ADDRESS, **body}
    headers = {"HTTP_X_CART_TOKEN": token}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return api.post("/api/checkout/orders", payload, content_type="application/json", **headers)


def test_quote_with_delivery_choice(api, offers):
    token = _cart(api, *offers)
    response = api.post(
        "/api/checkout/quote", {"delivery_choices": {}}, content_type="application/json",
        HTTP_X_CART_TOKEN=token,
    )  # fmt: skip
    body = response.json()
    assert response.status_code == 200 and len(body["groups"]) == 3 and body["can_order"]
    assert body["vat_breakdown"][0]["rate"] == "20"


def test_place_three_sellers_by_card_then_replay_same_order(api, offers):
    token = _cart(api, *offers)

    first = _place(api, token, "key-000000000001")

    assert first.status_code == 201, first.json()
    body = first.json()
    order = Order.objects.get()
    assert body["number"] == order.number and body["status"] == "pending_payment"
    assert body["payment"]["redirect_url"].startswith("/paiement/passerelle/")
    assert order.seller_orders.count() == 3
    assert not CartLine.objects.exists()
    replay = _place(api, token, "key-000000000001")
    assert replay.status_code == 201 and replay.json()["public_id"] == body["public_id"]
    assert replay.json()["replayed"] is True
    assert Order.objects.count() == 1
    # The order is visible to this API client's session, through the orders API.
    assert api.get(f"/api/orders/{body['public_id']}").status_code == 200
    assert (
        Client(HTTP_HOST="culture.localhost").get(f"/api/orders/{body['public_id']}").status_code
        == 404
    )


def test_same_key_other_body_is_409(api, offers):
    token = _cart(api, offers[0])
    assert _place(api, token, "key-000000000002").status_code == 201
    token2 = _cart(api, offers[1])
    conflict = _place(api, token2, "key-000000000002")
    assert conflict.status_code == 409 and conflict.json()["code"] == "idempotency_conflict"
    assert Order.objects.count() == 1
    assert CartLine.objects.count() == 1


def test_transfer_returns_bank_reference(api, offers):
    token = _cart(api, offers[0])
    response = _place(api, token, "key-000000000003", payment_method="transfer")
    payment = response.json()["payment"]
    assert payment["bank_reference"].startswith("GAL") and "IBAN" in payment["instructions"]


@pytest.mark.parametrize(
    ("key", "change", "status", "code"),
    [
        (None, {}, 400, "idempotency_key_required"),
        ("key-000000000004", {"email": "nope"}, 400, "invalid_email"),
        ("key-000000000005", {"payment_method": "cheque"}, 400, "invalid_payment_method"),
        (
            "key-000000000006",
            {"shipping_address": {**ADDRESS, "postcode": "750"}},
            400,
            "invalid_address",
        ),
        (
            "key-000000000007",
            {"buyer_company": "Nord SAS", "buyer_siren": "552100555"},
            400,
            "invalid_buyer_siren",
        ),
        (
            "key-000000000008",
            {"buyer_company": "Nord SAS", "buyer_vat_number": "FR12552100554"},
            400,
            "invalid_buyer_vat",
        ),
        ("key-000000000009", {"buyer_siren": "552100554"}, 400, "buyer_company_required"),
    ],
)
def test_bad_requests_change_nothing(api, offers, key, change, status, code):
    token = _cart(api, offers[0])
    response = _place(api, token, key, **change)
    assert response.status_code == status and response.json()["code"] == code
    assert not Order.objects.exists() and CartLine.objects.count() == 1


def test_business_buyer_identity_is_stored_on_the_order(api, offers):
    token = _cart(api, offers[0])
    response = _place(
        api,
        token,
        "key-000000000010",
        buyer_company="Nord SAS",
        buyer_siren="552 100 554",
        buyer_vat_number="fr96552100554",
    )
    assert response.status_code == 201, response.json()
    order = Order.objects.get()
    assert (order.buyer_company, order.buyer_siren, order.buyer_vat_number) == (
        "Nord SAS",
        "552100554",
        "FR96552100554",
    )


def test_out_of_stock_is_409_and_cart_kept(api, offers):
    token = _cart(api, offers[0])
    Offer.objects.filter(pk=offers[0].pk).update(stock=0)
    response = _place(api, token, "key-000000000007")
    assert response.status_code == 409
    assert response.json()["code"] in {"out_of_stock", "offer_unavailable"}
    assert not Order.objects.exists() and CartLine.objects.count() == 1


def test_empty_cart_is_400(api, offers):
    response = api.post(
        "/api/checkout/orders",
        {"email": "a@example.fr", "shipping_address": ADDRESS},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="key-000000000008",
    )
    assert response.status_code == 400 and response.json()["code"] == "empty_order"


# PostgreSQL refuses NUL in text: these were 500s there (found by the API fuzzer, issue 13).


def test_a_nul_character_in_a_body_string_is_a_422_naming_the_field(api, offers):
    token = _cart(api, offers[0])

    response = _place(
        api, token, "key-nul-000000001", shipping_address={**ADDRESS, "line2": "a\x00"}
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_params" and "shipping_address.line2" in body["message"]
    assert not Order.objects.exists() and CartLine.objects.count() == 1


def test_a_nul_character_in_the_idempotency_key_is_refused(api, offers):
    token = _cart(api, offers[0])

    response = _place(api, token, "key-\x00-1")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert not Order.objects.exists() and CartLine.objects.count() == 1


def test_a_nul_character_in_the_cart_token_finds_no_cart(api, offers):
    token = _cart(api, offers[0])

    response = api.get("/api/cart", HTTP_X_CART_TOKEN=token[:5] + "\x00")

    assert response.status_code == 404 and response.json()["code"] == "cart_not_found"


@pytest.mark.parametrize("mails", ["inline", "task"])
def test_place_request_statements_are_bounded(
    api, offers, mails, settings, django_capture_on_commit_callbacks
):
    """One transaction (the cart locked first), the e-mail off the request with "task": pinned
    so that work moved off the request path cannot creep back (issue 17)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.GALERIE_ORDER_EMAILS = mails
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    api.get("/panier/")  # the session exists before, as for a browser
    token = _cart(api, offers[0])
    counted = []

    def count(execute, sql, params, many, context):
        counted.append(sql)
        return execute(sql, params, many, context)

    # request_started empties connection.queries: count at the cursor instead.
    with (
        CaptureQueriesContext(connection),
        connection.execute_wrapper(count),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _place(api, token, "pinned", payment_method="transfer")
    assert response.status_code == 201, response.json()
    # PostgreSQL (SQLite: one fewer); both include the middleware's session and cache reads.
    assert len(counted) <= {"inline": 51, "task": 44}[mails], "\n".join(counted)

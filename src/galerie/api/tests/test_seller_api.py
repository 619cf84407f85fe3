"""Seller API through HTTP: bearer tokens, per-seller scoping (foreign ids → 404), offers with the
book law, bulk price/stock updates, orders and statements. Errors are {"code", "message"}."""

import pytest
from django.test import Client
from django.utils import timezone

from galerie.portal.auth import api_token_create, api_token_revoke
from galerie.portal.models import SellerApiToken
from galerie.portal.tests.conftest import world  # noqa: F401  (two sellers, users, orders)
from galerie.sellers.models import Offer, SellerMember, SellerStatus

pytestmark = pytest.mark.django_db


def _token(world, user, seller=None) -> str:  # noqa: F811
    member = SellerMember.objects.get(user=user, seller=seller or world.seller_a)
    return api_token_create(member=member, name="test").secret


class Api:
    def __init__(self, secret: str | None):
        self.client = Client(HTTP_HOST="localhost")
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path, **params):
        return self.client.get(f"/api/seller{path}", params, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(
            f"/api/seller{path}",
            body or {},
            content_type="application/json",
            headers=self.headers,
        )

    def patch(self, path, body):
        return self.client.patch(
            f"/api/seller{path}", body, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_a(world):  # noqa: F811
    return Api(_token(world, world.users.owner_a))


@pytest.fixture
def api_staff_a(world):  # noqa: F811
    return Api(_token(world, world.users.staff_a))


# --- Authentication ----------------------------------------------------------------------------


def test_missing_wrong_and_revoked_tokens_are_401(world):  # noqa: F811
    member = SellerMember.objects.get(user=world.users.owner_a, seller=world.seller_a)
    issued = api_token_create(member=member, name="ERP")
    assert Api(issued.secret).get("/offers").status_code == 200

    for api in (Api(None), Api("gal_wrong"), Api(issued.secret[:-2] + "xx")):
        response = api.get("/offers")
        assert response.status_code == 401
        assert response.json() == {
            "code": "unauthenticated",
            "message": "Authentification requise.",
        }
    basic = Client(HTTP_HOST="localhost").get(
        "/api/seller/offers", headers={"Authorization": f"Basic {issued.secret}"}
    )
    assert basic.status_code == 401

    api_token_revoke(token=issued.token)
    assert Api(issued.secret).get("/offers").status_code == 401


def test_an_address_sending_wrong_tokens_is_throttled(world):  # noqa: F811
    from django.core.cache import cache

    from galerie.core.throttle import API_TOKEN_FAILURE_IP

    secret = _token(world, world.users.owner_a)
    guesser = Api("gal_wrong")
    guesser.client.defaults["REMOTE_ADDR"] = "10.9.0.1"
    for _ in range(API_TOKEN_FAILURE_IP.limit):
        assert guesser.get("/offers").status_code == 401
    cache.clear()  # another worker process: the count is in the shared store
    guesser.headers = Api(secret).headers  # even a right token, from that address

    response = guesser.get("/offers")

    assert response.status_code == 429
    assert response.json()["code"] == "throttled_token_ip"
    assert "jetons d'API invalides" in response.json()["message"]
    assert Api(secret).get("/offers").status_code == 200  # another address


def test_a_token_has_an_allowance_of_calls(world, monkeypatch):  # noqa: F811
    from galerie.core import throttle

    monkeypatch.setattr(throttle, "API_TOKEN_USE", throttle.Rule("token-use", 3, 60, "trop"))
    api = Api(_token(world, world.users.owner_a))
    offer = Offer.objects.filter(seller=world.seller_a).first()
    for _ in range(3):
        assert api.get("/offers").status_code == 200

    response = api.patch(f"/offers/{offer.pk}", {"price": "99.00"})

    assert response.status_code == 429
    assert response.json()["code"] == "throttled_token_use"
    assert Offer.objects.get(pk=offer.pk).price == offer.price
    assert Api(_token(world, world.users.staff_a)).get("/offers").status_code == 200


def test_token_dies_with_the_membership_and_records_last_use(world):  # noqa: F811
    secret = _token(world, world.users.staff_a)
    assert Api(secret).get("/orders").status_code == 200
    assert SellerApiToken.objects.get().last_used_at is not None
    SellerMember.objects.filter(user=world.users.staff_a).delete()
    assert Api(secret).get("/orders").status_code == 401


def test_session_login_alone_does_not_open_the_seller_api(world):  # noqa: F811
    client = Client(HTTP_HOST="localhost")
    client.force_login(world.users.owner_a)
    assert client.get("/api/seller/offers").status_code == 401


def test_applied_seller_is_403(world, api_a):  # noqa: F811
    world.seller_a.status = SellerStatus.APPLIED
    world.seller_a.save()
    response = api_a.get("/offers")
    assert response.status_code == 403 and response.json()["code"] == "seller_not_open"


# --- Foreign ids -------------------------------------------------------------------------------


def test_every_endpoint_answers_404_on_seller_b_ids(world, api_a):  # noqa: F811
    offer_b, so_b = world.offer_b, world.order_b
    calls = [
        api_a.get(f"/offers/{offer_b.pk}"),
        api_a.patch(f"/offers/{offer_b.pk}", {"price": "1.00"}),
        api_a.get(f"/orders/{so_b.pk}"),
        api_a.post(f"/orders/{so_b.pk}/accept"),
        api_a.post(f"/orders/{so_b.pk}/ship", {"carrier": "La Poste", "tracking_number": "X1"}),
        api_a.post(f"/orders/{so_b.pk}/cancel", {"reason": "Rupture"}),
    ]
    for response in calls:
        assert response.status_code == 404, response.content
        assert set(response.json()) >= {"code", "message"}
    offer_b.refresh_from_db()
    so_b.refresh_from_db()
    assert (str(offer_b.price), so_b.status) == ("15.00", "paid")
    # bulk by sku or GTIN cannot reach seller B's offer either
    bulk = api_a.post(
        "/offers/bulk",
        {"items": [{"sku": "B-1", "price": "1.00"}, {"gtin": offer_b.product.gtin, "stock": 0}]},
    )
    assert bulk.status_code == 422
    assert [(e["row"], e["column"]) for e in bulk.json()["errors"]] == [(1, "sku"), (2, "gtin")]
    offer_b.refresh_from_db()
    assert (str(offer_b.price), offer_b.stock) == ("15.00", 9)
    # lists never show seller B's things
    assert [o["id"] for o in api_a.get("/offers").json()["items"]] == [world.offer_a.pk]
    assert [o["id"] for o in api_a.get("/orders").json()] == [world.order_a.pk]


# --- Offers ------------------------------------------------------------------------------------


def test_offer_search_ignores_control_characters(world, api_a):  # noqa: F811
    """Found by the API fuzzer on PostgreSQL, which refuses NUL in text: `q=ab\x00` was a 500.
    Control characters are dropped, as in the catalogue's filters."""
    found = api_a.get("/offers", q="Abbey\x00 Road", condition="new\x00")

    assert found.status_code == 200
    assert [o["id"] for o in found.json()["items"]] == [world.offer_a.pk]
    assert api_a.get("/offers", q="\x00\x01").status_code == 200


def test_create_offer_refuses_a_new_book_outside_the_book_law(world, api_a):  # noqa: F811
    response = api_a.post("/offers", {"gtin": world.book.gtin, "price": "10.50", "stock": 2})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "book_price_law" and "loi Lang" in body["message"]
    assert not Offer.objects.filter(product=world.book).exists()

    created = api_a.post(
        "/offers", {"product_id": world.book.pk, "price": "9.90", "stock": 2, "sku": "BOOK-1"}
    )
    assert created.status_code == 201
    assert created.json()["price"] == "9.90" and created.json()["sku"] == "BOOK-1"
    assert Offer.objects.get(product=world.book).seller == world.seller_a


def test_create_offer_errors_are_json(world, api_a):  # noqa: F811
    unknown = api_a.post("/offers", {"product_id": 999999, "price": "5", "stock": 1})
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    bad_gtin = api_a.post("/offers", {"gtin": "123", "price": "5", "stock": 1})
    assert bad_gtin.status_code == 400 and bad_gtin.json()["code"] == "invalid_gtin"
    bad_shape = api_a.post("/offers", {"product_id": world.book.pk, "price": "abc", "stock": 1})
    assert bad_shape.status_code == 422 and bad_shape.json()["code"] == "invalid_params"
    used = api_a.post(
        "/offers", {"product_id": world.book.pk, "price": "3", "stock": 1, "condition": "used"}
    )
    assert used.status_code == 400 and used.json()["field"] == "condition_note"


def test_patch_offer_and_suspended_seller(world, api_staff_a):  # noqa: F811
    response = api_staff_a.patch(f"/offers/{world.offer_a.pk}", {"price": "18.00", "stock": 3})
    assert response.status_code == 200
    assert (response.json()["price"], response.json()["stock"]) == ("18.00", 3)
    world.seller_a.status = SellerStatus.SUSPENDED
    world.seller_a.save()
    refused = api_staff_a.patch(f"/offers/{world.offer_a.pk}", {"price": "1.00"})
    assert refused.status_code == 403 and refused.json()["code"] == "seller_cannot_publish"
    off = api_staff_a.patch(f"/offers/{world.offer_a.pk}", {"is_active": False})
    assert off.status_code == 200 and off.json()["is_active"] is False
    world.offer_a.refresh_from_db()
    assert str(world.offer_a.price) == "18.00"


def test_bulk_all_or_nothing_then_valid_rows(world, api_a):  # noqa: F811
    items = [{"sku": "A-1", "price": "19.00", "stock": 4}, {"sku": "A-1", "stock": -1}]
    rejected = api_a.post("/offers/bulk", {"items": items})
    assert rejected.status_code == 422
    body = rejected.json()
    assert (body["code"], body["applied"]) == ("bulk_rows_invalid", 0)
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "sku")]
    world.offer_a.refresh_from_db()
    assert (str(world.offer_a.price), world.offer_a.stock) == ("20.00", 9)

    items = [{"sku": "A-1", "price": "19.00", "stock": 4}, {"sku": "ZZZ", "stock": 1}]
    partial = api_a.post("/offers/bulk", {"mode": "valid_rows", "items": items})
    assert partial.status_code == 200
    assert partial.json()["applied"] == 1
    assert [(e["row"], e["column"]) for e in partial.json()["errors"]] == [(2, "sku")]
    world.offer_a.refresh_from_db()
    assert (str(world.offer_a.price), world.offer_a.stock) == ("19.00", 4)


def test_bulk_unknown_mode_is_400(world, api_a):  # noqa: F811
    response = api_a.post("/offers/bulk", {"mode": "yolo", "items": []})
    assert response.status_code == 400 and response.json()["code"] == "bulk_file_invalid"


# --- Orders ------------------------------------------------------------------------------------


def test_accept_ship_and_transition_errors(world, api_staff_a):  # noqa: F811
    so = world.order_a
    early = api_staff_a.post(f"/orders/{so.pk}/ship", {"carrier": "UPS", "tracking_number": "1Z"})
    assert early.status_code == 409 and early.json()["code"] == "invalid_transition"
    accepted = api_staff_a.post(f"/orders/{so.pk}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    no_tracking = api_staff_a.post(
        f"/orders/{so.pk}/ship", {"carrier": "UPS", "tracking_number": " "}
    )
    assert no_tracking.status_code == 400 and no_tracking.json()["code"] == "tracking_required"
    shipped = api_staff_a.post(
        f"/orders/{so.pk}/ship", {"carrier": "UPS", "tracking_number": "1Z999"}
    )
    assert shipped.status_code == 200
    assert (shipped.json()["status"], shipped.json()["tracking_number"]) == ("shipped", "1Z999")
    detail = api_staff_a.get(f"/orders/{so.pk}").json()
    assert detail["lines"][0]["title"] == "Abbey Road"
    assert detail["shipping_address"]["postcode"] == "75011"


def test_nul_characters_in_bodies_are_422_and_change_nothing(world, api_a):  # noqa: F811
    """PostgreSQL refuses NUL in text: each of these was a 500 there (found by the fuzzer)."""
    offer, so = world.offer_a, world.order_a
    created = api_a.post(
        "/offers", {"product_id": world.book.pk, "price": "10.00", "stock": 1, "sku": "x\x00"}
    )
    patched = api_a.patch(f"/offers/{offer.pk}", {"condition_note": "\x00"})
    bulk = api_a.post("/offers/bulk", {"items": [{"sku": "A-1\x00", "stock": 1}]})
    accepted = api_a.post(f"/orders/{so.pk}/accept")
    shipped = api_a.post(f"/orders/{so.pk}/ship", {"carrier": "UPS\x00", "tracking_number": "1"})
    cancelled = api_a.post(f"/orders/{so.pk}/cancel", {"reason": "\x00"})

    for response, field in [
        (created, "sku"),
        (patched, "condition_note"),
        (bulk, "sku"),
        (shipped, "carrier"),
        (cancelled, "reason"),
    ]:
        assert response.status_code == 422, response.content
        assert field in response.json()["message"]
    assert accepted.status_code == 200
    assert Offer.objects.filter(seller=world.seller_a).count() == 1
    offer.refresh_from_db()
    so.refresh_from_db()
    assert (offer.condition_note, offer.stock, so.status) == ("", 9, "accepted")


def test_text_longer_than_its_column_is_a_422_and_changes_nothing(world, api_a):  # noqa: F811
    """PostgreSQL refuses a string longer than its varchar (SQLite keeps it): a 500 there."""
    offer = world.offer_a
    sku, note = Offer._meta.get_field("sku"), Offer._meta.get_field("condition_note")
    created = api_a.post(
        "/offers",
        {"product_id": world.book.pk, "price": "10.00", "stock": 1, "sku": "x" * 65},
    )
    patched = api_a.patch(f"/offers/{offer.pk}", {"condition": "used", "condition_note": "é" * 301})

    assert (sku.max_length, note.max_length) == (64, 300)
    for response, field in [(created, "sku"), (patched, "condition_note")]:
        assert response.status_code == 422, response.content
        assert field in response.json()["message"]
    assert Offer.objects.filter(seller=world.seller_a).count() == 1
    offer.refresh_from_db()
    assert (offer.condition, offer.condition_note) == ("new", "")
    fits = api_a.patch(f"/offers/{offer.pk}", {"sku": "x" * 64})
    assert fits.status_code == 200 and fits.json()["sku"] == "x" * 64


def test_cancel_with_reason(world, api_a):  # noqa: F811
    so = world.order_a
    blank = api_a.post(f"/orders/{so.pk}/cancel", {"reason": "  "})
    assert blank.status_code == 400
    ok = api_a.post(f"/orders/{so.pk}/cancel", {"reason": "Rupture de stock"})
    assert ok.status_code == 200 and ok.json()["status"] == "cancelled"
    filtered = api_a.get("/orders", status="cancelled").json()
    assert [o["id"] for o in filtered] == [so.pk]


# --- Statements --------------------------------------------------------------------------------


def test_statements_are_the_owners_and_only_their_sellers(world, api_a, api_staff_a):  # noqa: F811
    # The world's paid order (20 € incl. VAT) was captured today: the ledger owes seller A its
    # amount net of the commission.
    this_month = timezone.localdate().strftime("%Y-%m")
    response = api_a.get("/statements")
    assert response.status_code == 200
    assert response.json() == {
        "balance": "17.00",
        "months": [{"month": this_month, "credit": "17.00", "debit": "0.00", "net": "17.00"}],
    }
    month = api_a.get(f"/statements/{this_month}").json()
    assert month["credit"] == "17.00" and len(month["lines"]) == 1
    assert month["lines"][0]["kind"] == "capture"
    assert api_a.get("/statements/oct").json()["code"] == "invalid_month"

    staff = api_staff_a.get("/statements")
    assert staff.status_code == 403 and staff.json()["code"] == "owner_only"
    api_b = Api(_token(world, world.users.owner_b, world.seller_b))
    b_statements = api_b.get("/statements").json()
    assert b_statements["balance"] == "12.75"  # its own 15 € order, never seller A's
    b_lines = api_b.get(f"/statements/{this_month}").json()["lines"]
    assert len(b_lines) == 1 and world.order_a.order.number not in str(b_lines)


def test_lists_do_not_query_per_row(world, api_a, django_assert_max_num_queries):  # noqa: F811
    from galerie.testing.factories import make_offer, make_product

    for n in range(20):
        make_offer(make_product(f"Titre {n}"), seller=world.seller_a)
    with django_assert_max_num_queries(8):
        body = api_a.get("/offers", limit=100).json()
    assert body["total"] == 21 and len(body["items"]) == 21
    with django_assert_max_num_queries(8):
        assert len(api_a.get("/orders").json()) == 1

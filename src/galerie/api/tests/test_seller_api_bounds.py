"""Issue 13: a seller's out-of-range values are refused with a 422 naming the field, before any
write, on SQLite and PostgreSQL; the public product page and API keep answering afterwards. The
CHECK constraints on the offer are the last line of defence behind the schemas and services."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from galerie.api.tests.test_seller_api import Api, _token
from galerie.core.errors import DomainError
from galerie.inventory.models import StockMovement
from galerie.inventory.services import stock_adjust
from galerie.portal.tests.conftest import world  # noqa: F401  (two sellers, users, orders)
from galerie.sellers.limits import OFFER_LEAD_TIME_MAX_DAYS, OFFER_PRICE_MAX, OFFER_STOCK_MAX
from galerie.sellers.models import Offer
from galerie.sellers.services import OfferError, offer_update

pytestmark = pytest.mark.django_db

HUGE_OFFSET = "9223372036854775808"


@pytest.fixture
def api_a(world):  # noqa: F811
    return Api(_token(world, world.users.owner_a))


def _row(offer: Offer) -> tuple:
    offer.refresh_from_db()
    return (offer.price, offer.delivery_price, offer.stock, offer.lead_time_days, offer.updated_at)


def _assert_422_naming(response, field: str) -> None:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_params"
    assert field in body["message"]
    assert any(field in map(str, error["loc"]) for error in body["errors"])


def _assert_public_pages_answer(world) -> None:  # noqa: F811
    product = world.offer_a.product
    page = Client().get(f"/p/{product.slug}/", HTTP_HOST="culture.localhost")
    assert page.status_code == 200
    api = Client(HTTP_HOST="localhost").get(f"/api/storefronts/culture/products/{product.slug}")
    assert api.status_code == 200
    assert Client(HTTP_HOST="localhost").get("/api/storefronts/culture/products").status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", 10000000000),
        ("price", 1e20),
        ("price", 1e30),
        ("price", "1000000.01"),
        ("delivery_price", 10000000000),
        ("delivery_price", 1e30),
        ("lead_time_days", -1),
        ("lead_time_days", 40000),
        ("stock", 99_999_999_999),
        ("stock", 2**63),
        ("stock", -1),
    ],
)
def test_patch_out_of_range_is_422_and_leaves_the_offer(world, api_a, field, value):  # noqa: F811
    before = _row(world.offer_a)

    response = api_a.patch(f"/offers/{world.offer_a.pk}", {field: value})

    _assert_422_naming(response, field)
    assert _row(world.offer_a) == before
    _assert_public_pages_answer(world)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", 1e20),
        ("price", 1e30),
        ("price", 10000000000),
        ("delivery_price", 10000000000),
        ("lead_time_days", -1),
        ("lead_time_days", 40000),
        ("stock", 99_999_999_999),
        ("stock", 2**63),
    ],
)
def test_create_out_of_range_is_422_and_creates_nothing(world, api_a, field, value):  # noqa: F811
    body = {"product_id": world.offer_b.product_id, "price": "12.00", "stock": 3, field: value}
    count = Offer.objects.count()

    response = api_a.post("/offers", body)

    _assert_422_naming(response, field)
    assert Offer.objects.count() == count
    _assert_public_pages_answer(world)


def test_the_bounds_themselves_are_accepted(world, api_a):  # noqa: F811
    response = api_a.patch(
        f"/offers/{world.offer_a.pk}",
        {
            "price": str(OFFER_PRICE_MAX),
            "stock": OFFER_STOCK_MAX,
            "lead_time_days": OFFER_LEAD_TIME_MAX_DAYS,
            "delivery_price": "1000.00",
        },
    )

    assert response.status_code == 200, response.content
    assert (response.json()["stock"], response.json()["lead_time_days"]) == (
        OFFER_STOCK_MAX,
        OFFER_LEAD_TIME_MAX_DAYS,
    )
    _assert_public_pages_answer(world)


@pytest.mark.parametrize("path", ["/offers", "/orders"])
@pytest.mark.parametrize(
    ("name", "value"), [("offset", HUGE_OFFSET), ("offset", "-1"), ("limit", "0"), ("limit", "201")]
)
def test_pagination_out_of_range_is_422(world, api_a, path, name, value):  # noqa: F811
    _assert_422_naming(api_a.get(path, **{name: value}), name)


def test_pagination_within_range_answers(world, api_a):  # noqa: F811
    assert api_a.get("/offers", offset="1000000", limit="200").json()["items"] == []
    assert api_a.get("/orders", offset="0", limit="1").status_code == 200


def test_the_service_refuses_out_of_range_naming_the_field(world):  # noqa: F811
    before = _row(world.offer_a)

    with pytest.raises(OfferError) as refused:
        offer_update(offer=world.offer_a, lead_time_days=OFFER_LEAD_TIME_MAX_DAYS + 1)

    assert (refused.value.code, refused.value.field) == ("out_of_range", "lead_time_days")
    with pytest.raises(OfferError) as refused:
        offer_update(offer=world.offer_a, delivery_price="1000.01")
    assert refused.value.field == "delivery_price"
    assert _row(world.offer_a) == before


@pytest.mark.parametrize("delta", [1, OFFER_STOCK_MAX, 2**70, -(2**70)])
def test_a_stock_adjustment_past_the_ceiling_is_refused_and_changes_nothing(world, delta):  # noqa: F811
    Offer.objects.filter(pk=world.offer_a.pk).update(stock=OFFER_STOCK_MAX)
    before = _row(world.offer_a)
    movements = StockMovement.objects.count()

    with pytest.raises(DomainError) as refused:
        stock_adjust(offer=world.offer_a, delta=delta, reason="inventaire")

    assert refused.value.status < 500
    assert _row(world.offer_a) == before and StockMovement.objects.count() == movements


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("stock", OFFER_STOCK_MAX + 1),
        ("price", OFFER_PRICE_MAX + 1),
        ("delivery_price", 1001),
        ("lead_time_days", OFFER_LEAD_TIME_MAX_DAYS + 1),
    ],
)
def test_the_check_constraints_refuse_an_update_past_the_services(world, field, value):  # noqa: F811
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=world.offer_a.pk).update(**{field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [("price", 1e30), ("price", 10000000000), ("stock", 2**63), ("stock", 99_999_999_999)],
)
def test_bulk_out_of_range_is_reported_by_row_and_changes_nothing(world, api_a, field, value):  # noqa: F811
    before = _row(world.offer_a)

    response = api_a.post("/offers/bulk", {"items": [{"sku": "A-1", field: value}]})

    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["applied"]) == ("bulk_rows_invalid", 0)
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(1, field)]
    assert _row(world.offer_a) == before


def test_the_feed_import_takes_the_same_bounds():
    from galerie.imports.validation import PriceError, price_parse, row_parse

    assert price_parse("1000000.00 EUR") == OFFER_PRICE_MAX
    with pytest.raises(PriceError) as refused:
        price_parse("1000000.01 EUR")
    assert refused.value.code == "price_too_high"
    with pytest.raises(PriceError):
        price_parse("1000.01 EUR", maximum=Decimal("1000.00"))
    _row_, errors = row_parse(2, {"id": "X", "title": "T", "price": "5.00 EUR",
                                  "quantity": str(OFFER_STOCK_MAX + 1)})  # fmt: skip
    assert ("quantity", "quantity_invalid") in [(e.column, e.code) for e in errors]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lead_time_days", False),
        ("lead_time_days", "3"),
        ("stock", True),
        ("stock", 2.0),
        ("is_active", 0),
        ("is_active", "yes"),
        ("price", True),
    ],
)
def test_patch_with_the_wrong_json_type_is_422_and_leaves_the_offer(world, api_a, field, value):  # noqa: F811
    # Pydantic's lax mode would read false as 0, "3" as 3 and 0 as false: the published types hold.
    world.offer_a.refresh_from_db()
    before = (*_row(world.offer_a), world.offer_a.is_active)

    response = api_a.patch(f"/offers/{world.offer_a.pk}", {field: value})

    _assert_422_naming(response, field)
    world.offer_a.refresh_from_db()
    assert (*_row(world.offer_a), world.offer_a.is_active) == before


def test_patch_with_the_right_json_types_still_works(world, api_a):  # noqa: F811
    response = api_a.patch(
        f"/offers/{world.offer_a.pk}",
        {"lead_time_days": 2, "stock": 5, "is_active": False, "price": "12.50"},
    )
    assert response.status_code == 200, response.content
    world.offer_a.refresh_from_db()
    assert (world.offer_a.lead_time_days, world.offer_a.stock, world.offer_a.is_active) == (
        2,
        5,
        False,
    )

"""Issue 13: an order line holds 1…LINE_QUANTITY_MAX units, as a cart line does (orders.limits,
on the model and in its CHECK constraint), and an order's total stays under ORDER_TOTAL_MAX, far
below what a money column holds: beyond either, the quote says so and `order_place` refuses with
a clear error before anything is written."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from galerie.orders.errors import OrderError, OrderTooLarge
from galerie.orders.limits import LINE_QUANTITY_MAX, ORDER_TOTAL_MAX
from galerie.orders.models import Order, OrderLine
from galerie.orders.selectors import order_quote
from galerie.sellers.models import Offer
from galerie.testing.factories import make_category, make_offer, make_product

pytestmark = pytest.mark.django_db


def _stock(*offers) -> list[int]:
    return [Offer.objects.get(pk=o.pk).stock for o in offers]


@pytest.mark.parametrize(
    "lines",
    [
        lambda o: [(o.pk, LINE_QUANTITY_MAX + 1)],
        lambda o: [(o.pk, 60), (o.pk, 60)],  # the same offer twice: one line of 120
        lambda o: [(o.pk, 10**12)],
    ],
)
def test_more_than_the_line_maximum_is_refused_before_any_write(place, lines):
    offer = make_offer(stock=500)

    with pytest.raises(OrderError) as refused:
        place(lines(offer))

    assert refused.value.code == "bad_quantity"
    assert refused.value.field == "quantity"
    assert str(LINE_QUANTITY_MAX) in refused.value.message
    assert not Order.objects.exists()
    assert _stock(offer) == [500]


def test_the_line_maximum_itself_is_ordered(place):
    offer = make_offer(stock=LINE_QUANTITY_MAX)

    order = place([(offer.pk, LINE_QUANTITY_MAX)])

    assert order.lines.get().quantity == LINE_QUANTITY_MAX
    line = order.lines.get()
    line.quantity = LINE_QUANTITY_MAX + 1
    with pytest.raises(ValidationError):
        line.full_clean()


def _two_offers_at_the_price_maximum(storefront):
    category = make_category()
    storefront.categories.add(category)
    return [
        make_offer(make_product(category=category), price="1000000.00", stock=LINE_QUANTITY_MAX)
        for _ in range(2)
    ]


def test_a_total_beyond_the_order_maximum_is_refused_before_any_write(storefront, place):
    offers = _two_offers_at_the_price_maximum(storefront)
    lines = [(o.pk, LINE_QUANTITY_MAX) for o in offers]
    assert Decimal("1000000.00") * LINE_QUANTITY_MAX * 2 > ORDER_TOTAL_MAX

    quote = order_quote(storefront=storefront, lines=lines)
    with pytest.raises(OrderTooLarge):
        place(lines)

    assert [p.code for p in quote.problems] == ["order_too_large"]
    assert not quote.can_order
    assert not Order.objects.exists() and not OrderLine.objects.exists()
    assert _stock(*offers) == [LINE_QUANTITY_MAX, LINE_QUANTITY_MAX]


def test_the_cart_api_says_the_order_is_too_large(storefront):
    offers = _two_offers_at_the_price_maximum(storefront)
    client = Client(HTTP_HOST=f"{storefront.slug}.localhost")
    token = None
    for offer in offers:
        headers = {"HTTP_X_CART_TOKEN": token} if token else {}
        added = client.post(
            "/api/cart/lines",
            {"offer_id": offer.pk, "quantity": LINE_QUANTITY_MAX},
            content_type="application/json",
            **headers,
        )
        assert added.status_code == 201, added.content
        token = added["X-Cart-Token"]

    cart = client.get("/api/cart", HTTP_X_CART_TOKEN=token).json()

    assert cart["can_order"] is False
    assert [p["code"] for p in cart["problems"]] == ["order_too_large"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (lambda line: {"lines": {str(2**70): 1}}, "lines"),
        (lambda line: {"lines": {str(line.pk): 10**12}}, "lines"),
        (lambda line: {"lines": {str(line.pk): -1}}, "lines"),
        (lambda line: {"delivery_for": [2**70]}, "delivery_for"),
    ],
)
def test_refund_api_out_of_range_is_422_and_refunds_nothing(place, admin_client, body, field):
    from galerie.payments.services import payment_start, payment_transfer_mark_received

    order = place([(make_offer(price="10.00", stock=5).pk, 3)])
    payment_transfer_mark_received(
        payment=payment_start(order=order, method="transfer", return_url="/").payment
    )

    response = admin_client.post(
        f"/api/payments/orders/{order.public_id}/refunds",
        body(order.lines.get()),
        content_type="application/json",
        headers={"Idempotency-Key": "r1"},
    )

    assert response.status_code == 422, response.content
    assert field in response.json()["message"]
    assert order.refunds.count() == 0
    assert order.lines.get().refunded_quantity == 0

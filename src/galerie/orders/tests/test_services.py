from decimal import Decimal

import pytest
from django.core import mail

from galerie.inventory.models import StockMovement
from galerie.orders.errors import (
    EmptyOrder,
    IdempotencyConflict,
    InvalidAddress,
    InvalidDelivery,
    InvalidTransition,
    OfferUnavailable,
    OutOfStockError,
    RefundError,
)
from galerie.orders.models import Order, OrderEvent, OrderStatus, SellerOrderStatus
from galerie.orders.selectors import order_quote, order_vat_breakdown
from galerie.orders.services import (
    order_mark_paid,
    order_payment_failed,
    seller_order_accept,
    seller_order_deliver,
    seller_order_ship,
)
from galerie.payments.refunds import (
    order_cancel,
    order_refund,
    orders_release_expired,
    seller_order_cancel,
)
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.pricing.models import DeliveryMethod
from galerie.sellers.models import Offer
from galerie.testing.factories import make_offer, make_seller

pytestmark = pytest.mark.django_db


def _stock(offer):
    return Offer.objects.get(pk=offer.pk).stock


def _paid(order):
    """Pay by bank transfer marked received (no webhook needed)."""
    start = payment_start(order=order, method="transfer", return_url="/")
    payment_transfer_mark_received(payment=start.payment)
    order.refresh_from_db()
    return order


# --- Placing ------------------------------------------------------------------------------------


def test_order_splits_per_seller_and_snapshots_lines(
    place, book_offer, django_capture_on_commit_callbacks
):
    gadget = make_offer(price="12.00", stock=3, delivery_price="4.90")
    book = book_offer(price="19.00", stock=2)
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(gadget.pk, 2), (book.pk, 1)])
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.seller_orders.count() == 2
    line = order.lines.get(offer=book)
    assert (line.title, line.gtin, line.unit_price, line.vat_rate) == (
        book.product.title,
        book.product.gtin,
        Decimal("19.00"),
        Decimal("5.50"),
    )
    assert line.vat_amount == Decimal("0.99")
    # delivery: 4.90 for the gadget, 3.00 book floor for one new book under 35 €
    assert order.items_total == Decimal("43.00")
    assert order.delivery_total == Decimal("7.90")
    assert order.total == Decimal("50.90")
    rows = order_vat_breakdown(order)
    assert sum(r.ttc for r in rows) == order.total
    assert sum(r.vat for r in rows) == order.vat_total
    assert _stock(gadget) == 1 and _stock(book) == 1
    assert StockMovement.objects.filter(kind="reserve", reference=str(order.public_id)).count() == 2
    assert OrderEvent.objects.filter(order=order, to_status="pending_payment").count() == 1
    assert [m.to for m in mail.outbox] == [["client@example.fr"]]


def test_order_total_matches_quote(storefront, place):
    offers = [make_offer(price=p, stock=10) for p in ("9.99", "0.05", "123.45")]
    lines = [(o.pk, q) for o, q in zip(offers, (3, 7, 1), strict=True)]
    quote = order_quote(storefront=storefront, lines=lines)
    order = place(lines)
    assert order.total == quote.total
    assert order.vat_total == quote.vat_total == sum(r.vat for r in quote.vat_breakdown)


def test_chosen_delivery_method_is_used_and_unknown_one_refused(place):
    seller = make_seller()
    offer = make_offer(seller=seller, price="30.00")
    express = DeliveryMethod.objects.create(seller=seller, name="Express", fee="9.90")
    DeliveryMethod.objects.create(seller=seller, name="Eco", fee="2.90")
    order = place([(offer.pk, 1)], delivery_choices={seller.pk: express.pk})
    so = order.seller_orders.get()
    assert (so.delivery_label, so.delivery_fee) == ("Express", Decimal("9.90"))
    with pytest.raises(InvalidDelivery):
        place([(offer.pk, 1)], delivery_choices={seller.pk: 999999})


def test_same_key_same_body_returns_same_order(place):
    offer = make_offer(stock=5)
    first = place([(offer.pk, 1)], idempotency_key="abc")
    again = place([(offer.pk, 1)], idempotency_key="abc")
    assert first.pk == again.pk
    assert Order.objects.count() == 1
    assert _stock(offer) == 4


def test_same_key_different_body_is_a_conflict_and_changes_nothing(place):
    offer = make_offer(stock=5)
    place([(offer.pk, 1)], idempotency_key="abc")
    with pytest.raises(IdempotencyConflict) as err:
        place([(offer.pk, 2)], idempotency_key="abc")
    assert err.value.code == "idempotency_conflict" and err.value.status == 409
    assert Order.objects.count() == 1
    assert _stock(offer) == 4


def test_not_enough_stock_is_refused_and_nothing_changes(place):
    offer = make_offer(stock=2)
    with pytest.raises(OutOfStockError) as err:
        place([(offer.pk, 3)])
    assert err.value.code == "out_of_stock"
    assert "2" in err.value.message
    assert Order.objects.count() == 0 and _stock(offer) == 2
    assert not StockMovement.objects.exists()


def test_unavailable_offers_are_refused(place):
    inactive = make_offer(is_active=False)
    suspended = make_offer(seller=make_seller(status="suspended"))
    for offer in (inactive, suspended):
        with pytest.raises(OfferUnavailable):
            place([(offer.pk, 1)])
    with pytest.raises(OfferUnavailable):
        place([(987654, 1)])
    assert Order.objects.count() == 0


@pytest.mark.parametrize("lines", [[], [(1, 0)], [(1, -2)]])
def test_empty_or_bad_quantities_are_refused(place, lines):
    with pytest.raises((EmptyOrder, Exception)) as err:
        place(lines)
    assert err.value.code in ("empty_order", "bad_quantity")
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"postcode": "7501"}, "postcode"),
        ({"city": ""}, "city"),
        ({"country": "XX"}, "country"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_addresses_are_refused(place, address, change, field):
    offer = make_offer()
    with pytest.raises(InvalidAddress) as err:
        place([(offer.pk, 1)], shipping_address={**address, **change})
    assert err.value.code == "invalid_address"
    assert err.value.field.endswith(field)
    assert Order.objects.count() == 0 and _stock(offer) == 5


def test_bad_email_and_missing_key_are_refused(place):
    offer = make_offer()
    with pytest.raises(Exception) as err:
        place([(offer.pk, 1)], email="pas-une-adresse")
    assert err.value.code == "invalid_email"
    with pytest.raises(Exception) as err:
        place([(offer.pk, 1)], idempotency_key="  ")
    assert err.value.code == "idempotency_key_required"
    assert Order.objects.count() == 0


# --- Lifecycle ----------------------------------------------------------------------------------


def test_full_lifecycle_records_every_transition(place, django_capture_on_commit_callbacks):
    seller = make_seller(email="vendeur@example.fr")
    offer = make_offer(seller=seller, stock=3)
    order = place([(offer.pk, 2)])
    with django_capture_on_commit_callbacks(execute=True):
        order = _paid(order)
    assert order.status == OrderStatus.PAID and order.paid_at
    so = order.seller_orders.get()
    assert so.status == SellerOrderStatus.PAID
    assert ["vendeur@example.fr"] in [m.to for m in mail.outbox]
    so = seller_order_accept(seller_order=so)
    with django_capture_on_commit_callbacks(execute=True):
        so = seller_order_ship(seller_order=so, carrier="Colissimo", tracking_number="6A123")
    assert (so.status, so.carrier, so.tracking_number) == ("shipped", "Colissimo", "6A123")
    assert StockMovement.objects.filter(kind="ship", offer=offer, delta=0, quantity=2).exists()
    so = seller_order_deliver(seller_order=so)
    assert so.status == "delivered" and so.delivered_at
    transitions = list(
        OrderEvent.objects.filter(order=order).values_list("from_status", "to_status")
    )
    assert transitions == [
        ("", "pending_payment"),
        ("pending_payment", "paid"),
        ("paid", "accepted"),
        ("accepted", "shipped"),
        ("shipped", "delivered"),
    ]
    assert _stock(offer) == 1


def test_forbidden_transitions(place):
    offer = make_offer(stock=3)
    order = place([(offer.pk, 1)])
    so = order.seller_orders.get()
    with pytest.raises(InvalidTransition):
        seller_order_accept(seller_order=so)  # not paid yet
    with pytest.raises(InvalidTransition):
        seller_order_cancel(seller_order=so)  # unpaid orders are cancelled whole
    order = _paid(order)
    with pytest.raises(InvalidTransition):
        order_mark_paid(order=order)  # twice
    with pytest.raises(InvalidTransition):
        seller_order_ship(seller_order=so, carrier="La Poste", tracking_number="X1")  # not accepted
    with pytest.raises(InvalidTransition):
        seller_order_deliver(seller_order=so)
    seller_order_accept(seller_order=so)
    with pytest.raises(Exception) as err:
        seller_order_ship(seller_order=so, carrier="", tracking_number="X1")
    assert err.value.code == "carrier_required"
    seller_order_ship(seller_order=so, carrier="La Poste", tracking_number="X1")
    with pytest.raises(InvalidTransition):
        order_cancel(order=order)  # shipped
    with pytest.raises(InvalidTransition):
        seller_order_cancel(seller_order=so)
    so.refresh_from_db()
    assert so.status == "shipped"


def test_cancel_unpaid_order_releases_stock(place):
    offer = make_offer(stock=3)
    order = place([(offer.pk, 2)])
    order = order_cancel(order=order, reason="Changé d'avis")
    assert order.status == OrderStatus.CANCELLED
    assert _stock(offer) == 3
    assert StockMovement.objects.filter(kind="cancel", offer=offer, delta=2).exists()
    assert set(order.seller_orders.values_list("status", flat=True)) == {"cancelled"}
    with pytest.raises(InvalidTransition):
        order_cancel(order=order)
    assert _stock(offer) == 3  # released once only


def test_cancel_paid_order_refunds_in_full(place):
    offer = make_offer(stock=3, price="10.00")
    order = _paid(place([(offer.pk, 2)]))
    order = order_cancel(order=order)
    order.refresh_from_db()
    assert order.refunded_total == order.total == Decimal("20.00")
    assert order.refunds.get().amount == Decimal("20.00")
    assert _stock(offer) == 3


def test_payment_failure_releases_stock(place):
    offer = make_offer(stock=1)
    order = place([(offer.pk, 1)])
    assert _stock(offer) == 0
    order_payment_failed(order=order, reason="carte refusée")
    order.refresh_from_db()
    assert order.status == "cancelled" and "carte refusée" in order.cancel_reason
    assert _stock(offer) == 1
    assert StockMovement.objects.filter(kind="release", offer=offer, delta=1).exists()


def test_expired_unpaid_orders_release_stock(place):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    offer = make_offer(stock=2)
    old = place([(offer.pk, 1)])
    fresh = place([(offer.pk, 1)])
    Order.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    paid = _paid(place([(make_offer().pk, 1)]))
    Order.objects.filter(pk=paid.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert orders_release_expired() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == "cancelled" and fresh.status == "pending_payment"
    assert _stock(offer) == 1
    call_command("release_expired_orders")  # nothing left: idempotent
    assert _stock(offer) == 1


def test_seller_cancels_its_part_only(place):
    a, b = make_offer(price="10.00", stock=2), make_offer(price="5.00", stock=2)
    order = _paid(place([(a.pk, 1), (b.pk, 1)]))
    so_a = order.seller_orders.get(seller=a.seller)
    seller_order_cancel(seller_order=so_a, reason="Rupture")
    order.refresh_from_db()
    assert order.status == "paid"
    assert order.refunded_total == Decimal("10.00")
    assert _stock(a) == 2 and _stock(b) == 1
    seller_order_cancel(seller_order=order.seller_orders.get(seller=b.seller))
    order.refresh_from_db()
    assert order.status == "cancelled" and order.refunded_total == order.total


def test_partial_refund_per_line_is_idempotent(place):
    offer = make_offer(price="10.00", stock=5)
    order = _paid(place([(offer.pk, 3)]))
    line = order.lines.get()
    refund = order_refund(order=order, lines={line.pk: 1}, idempotency_key="r1")
    again = order_refund(order=order, lines={line.pk: 1}, idempotency_key="r1")
    assert refund.pk == again.pk and refund.amount == Decimal("10.00")
    order.refresh_from_db()
    assert order.refunded_total == Decimal("10.00")
    with pytest.raises(IdempotencyConflict):
        order_refund(order=order, lines={line.pk: 2}, idempotency_key="r1")
    with pytest.raises(RefundError):
        order_refund(order=order, lines={line.pk: 3}, idempotency_key="r2")  # only 2 left
    line.refresh_from_db()
    assert line.refunded_quantity == 1
    order_refund(order=order, idempotency_key="r3")  # the rest
    order.refresh_from_db()
    assert order.refunded_total == order.total
    with pytest.raises(RefundError):
        order_refund(order=order, idempotency_key="r4")


def test_unpaid_order_cannot_be_refunded(place):
    order = place([(make_offer().pk, 1)])
    with pytest.raises(RefundError):
        order_refund(order=order, idempotency_key="r1")


def test_seller_sees_only_its_paid_parts(place):
    from galerie.orders.selectors import seller_orders_for_seller

    a, b = make_offer(), make_offer()
    unpaid = place([(a.pk, 1)])
    paid = _paid(place([(a.pk, 1), (b.pk, 1)]))
    mine = list(seller_orders_for_seller(seller=a.seller))
    assert [so.order_id for so in mine] == [paid.pk]
    assert unpaid.pk not in {so.order_id for so in seller_orders_for_seller(seller=a.seller)}
    assert [so.order_id for so in seller_orders_for_seller(seller=b.seller, status="paid")] == [
        paid.pk
    ]


def test_order_mails_are_robust_on_commit_callbacks(place):
    """A mail server that is down must not turn a committed order into an error page: every
    mail is a robust on-commit callback (Django logs its exception instead of raising it)."""
    from django.db import connection

    place([(make_offer(stock=2).pk, 1)])
    callbacks = list(connection.run_on_commit)
    assert callbacks and all(robust for _sids, _callback, robust in callbacks)


def test_transfer_gives_the_customer_more_time(place):
    from datetime import timedelta

    from django.utils import timezone

    order = place([(make_offer().pk, 1)])
    assert order.expires_at < timezone.now() + timedelta(hours=2)
    payment_start(order=order, method="transfer", return_url="/")
    order.refresh_from_db()
    assert order.expires_at > timezone.now() + timedelta(days=6)


def test_changed_total_since_recap_is_refused_and_nothing_written(place):
    offer = make_offer(price="10.00", stock=3)
    with pytest.raises(Exception) as err:
        place([(offer.pk, 1)], expected_total=Decimal("9.00"))
    assert err.value.code == "price_changed" and err.value.status == 409
    assert "10.00" in err.value.message
    assert Order.objects.count() == 0 and _stock(offer) == 3
    assert place([(offer.pk, 1)], expected_total=Decimal("10.00")).total == Decimal("10.00")


def test_plain_text_mails_are_not_html_escaped(
    place, storefront, django_capture_on_commit_callbacks
):
    storefront.name = "Culture & Cie"
    storefront.save()
    offer = make_offer(price="10.00", stock=2)
    with django_capture_on_commit_callbacks(execute=True):
        place([(offer.pk, 1)])
    body = mail.outbox[-1].body
    assert "Culture & Cie" in body and "&amp;" not in body

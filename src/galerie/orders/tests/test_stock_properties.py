"""Stock through the order services, for any sequence of place / pay / ship / cancel / fail /
expire: never negative, and always initial stock minus the units of orders still standing."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galerie.core.errors import DomainError
from galerie.orders.models import Order
from galerie.orders.services import order_payment_failed, seller_order_accept, seller_order_ship
from galerie.payments.refunds import order_cancel, orders_release_expired, seller_order_cancel
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.sellers.models import Offer
from galerie.testing.factories import make_offer, make_storefront

pytestmark = pytest.mark.django_db

ADDRESS = {"name": "A", "line1": "1 rue B", "postcode": "75001", "city": "Paris"}

ops = st.lists(
    st.tuples(
        st.sampled_from(["place", "pay", "ship", "cancel", "seller_cancel", "fail", "expire"]),
        st.integers(0, 1),  # which offer (place) / which order, modulo (others)
        st.integers(1, 3),  # quantity (place)
    ),
    max_size=20,
)


def _standing_units(offer_pk):
    return sum(
        line_qty
        for line_qty in Order.objects.exclude(status="cancelled")
        .filter(
            lines__offer_id=offer_pk,
            lines__seller_order__status__in=[
                "pending_payment",
                "paid",
                "accepted",
                "shipped",
                "delivered",
            ],
        )
        .values_list("lines__quantity", flat=True)
    )


@given(initial=st.tuples(st.integers(0, 4), st.integers(0, 4)), sequence=ops)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_stock_is_never_negative_and_always_explained(initial, sequence):
    with transaction.atomic():
        storefront = make_storefront()
        offers = [make_offer(stock=initial[0]), make_offer(stock=initial[1])]
        orders: list[Order] = []
        for n, (op, which, qty) in enumerate(sequence):
            try:
                if op == "place":
                    from galerie.orders.services import order_place

                    orders.append(
                        order_place(
                            storefront=storefront,
                            email="p@example.fr",
                            lines=[(offers[which].pk, qty)],
                            delivery_choices={},
                            shipping_address=ADDRESS,
                            billing_address=ADDRESS,
                            idempotency_key=f"k{n}",
                        )
                    )
                elif orders:
                    order = Order.objects.get(pk=orders[which % len(orders)].pk)
                    seller_order = order.seller_orders.get()
                    if op == "pay":
                        start = payment_start(order=order, method="transfer", return_url="/")
                        payment_transfer_mark_received(payment=start.payment)
                    elif op == "ship":
                        seller_order_accept(seller_order=seller_order)
                        seller_order_ship(
                            seller_order=seller_order, carrier="C", tracking_number="T"
                        )
                    elif op == "cancel":
                        order_cancel(order=order)
                    elif op == "seller_cancel":
                        seller_order_cancel(seller_order=seller_order)
                    elif op == "fail":
                        order_payment_failed(order=order, reason="refus")
                    elif op == "expire":
                        Order.objects.filter(pk=order.pk).update(
                            expires_at=timezone.now() - timedelta(seconds=1)
                        )
                        orders_release_expired()
            except DomainError:
                pass  # forbidden transitions and sold-out offers are expected
            for offer, start_stock in zip(offers, initial, strict=True):
                stock = Offer.objects.get(pk=offer.pk).stock
                assert stock >= 0
                assert stock == start_stock - _standing_units(offer.pk)
        transaction.set_rollback(True)

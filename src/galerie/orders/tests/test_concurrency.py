"""Races on PostgreSQL with real threads: nothing is sold twice, nothing is created twice.

Each thread uses its own database connection and closes it at the end.
"""

import json
import os

import pytest

from galerie.orders.errors import OrderError
from galerie.orders.models import Order, OrderEvent
from galerie.orders.services import order_place
from galerie.payments.gateways import webhook_sign
from galerie.payments.models import Payment, SimulatedCharge, WebhookEvent
from galerie.payments.services import payment_start, payment_webhook_receive
from galerie.sellers.models import Offer
from galerie.testing.concurrency import race
from galerie.testing.factories import make_offer, make_storefront

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADDRESS = {"name": "A. Client", "line1": "1 rue de la Paix", "postcode": "75002", "city": "Paris"}


@pytest.fixture(autouse=True)
def _tax_rates():
    """The seeded rates (also when run with --nomigrations)."""
    from galerie.pricing.services import tax_rates_ensure

    tax_rates_ensure()


def _buy(storefront, offer, key, quantity=1):
    return order_place(
        storefront=storefront,
        email="buyer@example.fr",
        lines=[(offer.pk, quantity)],
        delivery_choices={},
        shipping_address=ADDRESS,
        billing_address=ADDRESS,
        idempotency_key=key,
    )


def test_last_unit_with_20_buyers_makes_one_order():
    storefront = make_storefront()
    offer = make_offer(stock=1)
    results = race(20, lambda i: _buy(storefront, offer, f"buyer-{i}"))
    orders = [r for r in results if isinstance(r, Order)]
    errors = [r for r in results if isinstance(r, OrderError)]
    assert len(orders) == 1, results
    assert len(errors) == 19 and {e.code for e in errors} <= {"out_of_stock", "offer_unavailable"}
    assert Order.objects.count() == 1
    assert Offer.objects.get(pk=offer.pk).stock == 0


def test_ten_buyers_for_five_units_make_five_orders():
    storefront = make_storefront()
    offer = make_offer(stock=5)
    results = race(10, lambda i: _buy(storefront, offer, f"buyer-{i}"))
    assert sum(isinstance(r, Order) for r in results) == 5, results
    assert sum(isinstance(r, OrderError) for r in results) == 5
    assert Order.objects.count() == 5
    assert Offer.objects.get(pk=offer.pk).stock == 0


def test_double_submitted_order_is_created_once():
    storefront = make_storefront()
    offer = make_offer(stock=10)
    results = race(8, lambda i: _buy(storefront, offer, "same-key", quantity=2))
    assert all(isinstance(r, Order) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Order.objects.count() == 1
    assert Offer.objects.get(pk=offer.pk).stock == 8


def test_replayed_webhook_captures_once():
    storefront = make_storefront()
    offer = make_offer(stock=3, price="30.00")
    order = _buy(storefront, offer, "pay-me")
    payment = payment_start(order=order, method="card", return_url="/").payment
    raw = json.dumps(
        {
            "id": "evt_replayed",
            "type": "charge.succeeded",
            "data": {"reference": payment.provider_ref, "amount": str(payment.amount)},
        }
    ).encode()
    signature = webhook_sign(raw)
    results = race(8, lambda i: payment_webhook_receive(raw_body=raw, signature=signature))
    assert sorted(results) == ["duplicate"] * 7 + ["processed"], results
    assert WebhookEvent.objects.count() == 1
    assert Payment.objects.get(pk=payment.pk).status == "captured"
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1
    order.refresh_from_db()
    assert order.status == "paid"


def test_cancellation_racing_a_capture_never_deadlocks_and_stays_consistent():
    from galerie.payments.refunds import order_cancel

    storefront = make_storefront()
    offer = make_offer(stock=10, price="20.00")
    for round_ in range(5):
        order = _buy(storefront, offer, f"race-{round_}")
        payment = payment_start(order=order, method="card", return_url="/").payment
        # The customer paid on the hosted page; the provider's webhook is on its way.
        SimulatedCharge.objects.filter(token=payment.provider_ref).update(status="succeeded")
        raw = json.dumps(
            {
                "id": f"evt_race_{round_}",
                "type": "charge.succeeded",
                "data": {"reference": payment.provider_ref, "amount": str(payment.amount)},
            }
        ).encode()
        signature = webhook_sign(raw)

        def work(i, order=order, raw=raw, signature=signature):
            if i == 0:
                return order_cancel(order=order, reason="course")
            return payment_webhook_receive(raw_body=raw, signature=signature)

        results = race(2, work)
        assert not any(isinstance(r, Exception) for r in results), results
        order.refresh_from_db()
        payment.refresh_from_db()
        # Whichever came first, the money the provider captured is given back in full.
        assert order.status == "cancelled"
        assert payment.status == "captured"
        assert payment.refunded_amount == payment.amount == order.total
        assert SimulatedCharge.objects.get(token=payment.provider_ref).refunded == payment.amount
    assert Offer.objects.get(pk=offer.pk).stock == 10  # every reservation released exactly once


def test_last_unit_raced_by_separate_processes_makes_one_order():
    """Buyers in separate OS processes (each with its own connection, as gunicorn workers
    have), one of them submitting its cart twice from two processes: one order, stock 0."""
    import subprocess
    import sys

    from django.db import connection

    from galerie.cart.services import cart_add, cart_create

    offer = make_offer(stock=1)
    storefront = make_storefront(categories=[offer.product.category])
    carts = [cart_create(storefront=storefront) for _ in range(2)]
    for cart in carts:
        cart_add(cart=cart, offer_id=offer.pk, quantity=1)
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    # (cart, idempotency key): the first cart is submitted twice, from two processes.
    buyers = [(carts[0].pk, "double"), (carts[0].pk, "double"), (carts[1].pk, "other")]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "galerie.orders.tests.race_buyer", str(cart_id), key],
            env={**os.environ, "DATABASE_URL": url},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for cart_id, key in buyers
    ]
    try:
        for process in processes:
            assert process.stdout.readline().strip() == "ready"
        for process in processes:  # the start signal, to every buyer at once
            process.stdin.write("go\n")
            process.stdin.flush()
        answers = [json.loads(process.communicate(timeout=60)[0]) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    numbers = {a["order"] for a in answers if "order" in a}
    assert len(numbers) == 1, answers
    assert {a["error"] for a in answers if "error" in a} <= {"out_of_stock", "offer_unavailable"}
    assert Order.objects.count() == 1
    assert Offer.objects.get(pk=offer.pk).stock == 0
    assert sum(not a.get("replayed", True) for a in answers) == 1  # one process created it

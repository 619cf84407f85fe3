"""Fault: the web worker placing an order is killed (`kill -9`) in the middle of the place
request, inside its transaction. Nothing of that order may remain (no order without its lines,
no reserved stock without its order, no payment without its order), the server comes back, and
the buyer's retry with the same Idempotency-Key places the order once.

Black-box on purpose: the request waits on a row lock that the test holds on the offer (every
checkout writes that row: it takes the stock), whatever the checkout's internal steps are.
"""

import http.client
import json
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from galerie.inventory.models import MovementKind, StockMovement
from galerie.orders.models import Order, OrderLine, SellerOrder
from galerie.payments.models import Payment
from galerie.sellers.models import Offer
from galerie.testing import faults
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)
from galerie.testing.processes import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HOST = "pannes.localhost"
ADDRESS = {
    "name": "Camille Martin",
    "line1": "12 rue des Lilas",
    "postcode": "75011",
    "city": "Paris",
}
STOCK = 3


class Buyer:
    """A browser-like API client: session and CSRF cookies from one page view."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None, headers=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(
                method,
                path,
                body=json.dumps(body).encode() if body is not None else None,
                headers={
                    "Host": HOST,
                    "Content-Type": "application/json",
                    "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                    "X-CSRFToken": self.cookies.get("csrftoken", ""),
                    **(headers or {}),
                },
            )
            response = conn.getresponse()
            payload = response.read()
        finally:
            conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response, payload


@pytest.fixture
def offer():
    category = make_category("Livres")
    make_storefront("pannes", categories=[category])
    return make_offer(
        make_product(category=category, gtin=None),
        seller=make_seller("Librairie des Pannes"),
        price=Decimal("12.50"),
        stock=STOCK,
    )


@pytest.fixture
def server(tmp_path):
    log = tmp_path / "serve.log"
    with faults.serving(faults.process_env(tmp_path), log, host=HOST) as (port, process):
        yield port, process, log


def test_killed_web_worker_mid_checkout_leaves_no_half_order(offer, server):
    port, master, log = server
    buyer = Buyer(port)
    buyer.request("GET", "/panier/")
    response, payload = buyer.request(
        "POST", "/api/cart/lines", {"offer_id": offer.pk, "quantity": 2}
    )
    assert response.status == 201, payload
    token = response.getheader("X-Cart-Token")
    place = {
        "body": {
            "email": "camille@example.fr",
            "shipping_address": ADDRESS,
            "payment_method": "transfer",
        },
        "headers": {"X-Cart-Token": token, "Idempotency-Key": "panne-1"},
    }
    [worker] = faults.children(master.pid)
    outcome = {}

    def place_order():
        try:
            outcome["answer"] = buyer.request("POST", "/api/checkout/orders", **place)
        except (OSError, http.client.HTTPException) as exc:
            outcome["error"] = exc

    # When: the place request waits inside its transaction on the offer's row, and its worker
    # is killed there.
    with faults.row_lock("SELECT id FROM sellers_offer WHERE id = %s FOR UPDATE", (offer.pk,)):
        request = threading.Thread(target=place_order)
        request.start()
        waiting = faults.wait_for_lock_waiter(master, log)
        faults.kill9(worker)
        request.join(timeout=30)
    faults.backends_gone(waiting)

    # Then: the buyer saw the connection drop, and nothing of the order was kept.
    assert "error" in outcome, outcome
    assert not Order.objects.exists()
    assert not Payment.objects.exists()
    assert not StockMovement.objects.filter(kind=MovementKind.RESERVE).exists()
    assert Offer.objects.get(pk=offer.pk).stock == STOCK

    # The master started a new worker; the buyer's retry places the order once.
    new_worker = wait_until(
        lambda: [pid for pid in faults.children(master.pid) if pid != worker],
        timeout=60,
        what="gunicorn's new worker",
    )
    assert new_worker
    response, payload = buyer.request("POST", "/api/checkout/orders", **place)
    assert response.status == 201, payload
    assert json.loads(payload)["replayed"] is False
    response, payload = buyer.request("POST", "/api/checkout/orders", **place)
    assert response.status == 201 and json.loads(payload)["replayed"] is True, payload

    order = Order.objects.get()
    assert order.lines.count() == 1
    assert set(SellerOrder.objects.values_list("order_id", flat=True)) == {order.pk}
    assert not SellerOrder.objects.filter(lines__isnull=True).exists()
    # Each payment belongs to the placed order (the payment may be started by a task later on).
    assert set(Payment.objects.values_list("order_id", flat=True)) <= {order.pk}
    assert Offer.objects.get(pk=offer.pk).stock == STOCK - 2
    reserved = StockMovement.objects.filter(offer=offer, kind=MovementKind.RESERVE)
    assert set(reserved.values_list("reference", flat=True)) == {str(order.public_id)}
    assert reserved.aggregate(s=Sum("delta"))["s"] == -2
    assert OrderLine.objects.aggregate(q=Sum("quantity"))["q"] == 2
    call_command("ledger_check")

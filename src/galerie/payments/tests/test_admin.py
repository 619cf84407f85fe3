import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from galerie.orders.models import OrderEvent
from galerie.payments.services import payment_start
from galerie.testing.factories import make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    user = get_user_model().objects.create_superuser("ops", "ops@example.fr", "ops-pass-123")
    client = Client()
    client.force_login(user)
    return user, client


def test_operator_marks_transfer_received_then_refunds_in_full(place, operator):
    user, client = operator
    order = place([(make_offer(price="15.00").pk, 2)])
    start = payment_start(order=order, method="transfer", return_url="/")
    response = client.post(
        "/admin/payments/payment/",
        {"action": "transfer_received", "_selected_action": [start.payment.pk]},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "paid"
    event = OrderEvent.objects.get(order=order, to_status="paid")
    assert event.actor == user and start.payment.bank_reference in event.note

    client.post(
        "/admin/orders/order/", {"action": "refund_in_full", "_selected_action": [order.pk]}
    )
    order.refresh_from_db()
    assert order.refunded_total == order.total
    refund = order.refunds.get()
    assert refund.status == "manual"  # a transfer is refunded by an outgoing transfer

    # The same action again is idempotent (same key): nothing more is refunded.
    response = client.post(
        "/admin/orders/order/",
        {"action": "refund_in_full", "_selected_action": [order.pk]},
        follow=True,
    )
    assert order.refunds.count() == 1
    assert response.status_code == 200


def test_order_admin_pages_render(place, operator):
    _user, client = operator
    order = place([(make_offer().pk, 1)])
    assert client.get("/admin/orders/order/").status_code == 200
    assert client.get(f"/admin/orders/order/{order.pk}/change/").status_code == 200
    assert client.get("/admin/payments/payment/").status_code == 200
    assert client.get("/admin/inventory/stockmovement/").status_code == 200
    assert client.get("/admin/pricing/deliverymethod/").status_code == 200

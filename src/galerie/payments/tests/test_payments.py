import json
import time
from decimal import Decimal

import pytest
from django.test import Client

from galerie.inventory.models import StockMovement
from galerie.orders.models import OrderEvent
from galerie.payments.gateways import (
    CARD_3DS,
    CARD_DECLINED,
    CARD_INSUFFICIENT_FUNDS,
    CARD_SUCCESS,
    webhook_sign,
)
from galerie.payments.models import Payment, SimulatedCharge, WebhookEvent
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.sellers.models import Offer
from galerie.testing.factories import make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(place):
    return place([(make_offer(price="25.00", stock=2).pk, 1)])


def _hosted(client, order, card, django_capture_on_commit_callbacks):
    start = payment_start(order=order, method="card", return_url=order.get_absolute_url())
    assert start.redirect_url.startswith("/paiement/passerelle/")
    page = client.get(start.redirect_url)
    assert page.status_code == 200 and "Numéro de carte" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start.redirect_url, {"card_number": card})
    order.refresh_from_db()
    return start, response


def test_card_success_marks_order_paid_through_signed_webhook(
    order, django_capture_on_commit_callbacks
):
    client = Client()
    start, response = _hosted(
        client, order, "4242 4242 4242 4242", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url() + "?paiement=succeeded"
    assert order.status == "paid"
    payment = Payment.objects.get(pk=start.payment.pk)
    assert payment.status == "captured" and payment.captured_at
    assert WebhookEvent.objects.filter(type="charge.succeeded").count() == 1


@pytest.mark.parametrize(
    ("card", "code"),
    [(CARD_DECLINED, "card_declined"), (CARD_INSUFFICIENT_FUNDS, "insufficient_funds")],
)
def test_declined_cards_fail_and_release_stock(
    order, card, code, django_capture_on_commit_callbacks
):
    offer = order.lines.get().offer
    assert Offer.objects.get(pk=offer.pk).stock == 1
    start, response = _hosted(Client(), order, card, django_capture_on_commit_callbacks)
    assert response["Location"].endswith("?paiement=failed")
    assert order.status == "cancelled"
    assert Payment.objects.get(pk=start.payment.pk).failure_code == code
    assert Offer.objects.get(pk=offer.pk).stock == 2
    assert StockMovement.objects.filter(kind="release", offer=offer).exists()


def test_3ds_challenge_then_approve(order, django_capture_on_commit_callbacks):
    client = Client()
    start, response = _hosted(client, order, CARD_3DS, django_capture_on_commit_callbacks)
    assert response["Location"].endswith("/3ds/")
    assert order.status == "pending_payment"
    assert Payment.objects.get(pk=start.payment.pk).status == "requires_action"
    page = client.get(response["Location"])
    assert "3-D Secure" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"decision": "approve"})
    order.refresh_from_db()
    assert order.status == "paid"


def test_3ds_challenge_rejected(order, django_capture_on_commit_callbacks):
    client = Client()
    _start, response = _hosted(client, order, CARD_3DS, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"decision": "reject"})
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert "3-D Secure" in order.cancel_reason


def test_unknown_card_is_a_form_error_and_changes_nothing(order):
    start = payment_start(order=order, method="card", return_url="/")
    response = Client().post(start.redirect_url, {"card_number": "1234 5678"})
    assert response.status_code == 400
    assert "Carte de test inconnue" in response.content.decode()
    assert SimulatedCharge.objects.get().status == "open"
    order.refresh_from_db()
    assert order.status == "pending_payment"


def test_card_data_is_never_stored(order, django_capture_on_commit_callbacks):
    _hosted(Client(), order, CARD_SUCCESS, django_capture_on_commit_callbacks)
    for model in (Payment, SimulatedCharge, WebhookEvent):
        for row in model.objects.values():
            assert CARD_SUCCESS not in json.dumps(row, default=str)


def test_payment_start_is_idempotent_per_order_and_method(order):
    first = payment_start(order=order, method="card", return_url="/")
    again = payment_start(order=order, method="card", return_url="/")
    assert first.payment.pk == again.payment.pk
    assert Payment.objects.count() == 1
    transfer = payment_start(order=order, method="transfer", return_url="/")
    assert transfer.bank_reference.startswith("GAL") and "IBAN" in transfer.instructions
    assert Payment.objects.get(pk=first.payment.pk).status == "voided"


def test_unknown_method_and_paid_order_are_refused(order):
    with pytest.raises(Exception) as err:
        payment_start(order=order, method="bitcoin", return_url="/")
    assert err.value.code == "unknown_payment_method"
    start = payment_start(order=order, method="transfer", return_url="/")
    payment_transfer_mark_received(payment=start.payment)
    with pytest.raises(Exception) as err:
        payment_start(order=order, method="card", return_url="/")
    assert err.value.code == "order_not_payable"


def test_transfer_keeps_order_pending_until_operator_marks_it(order):
    start = payment_start(order=order, method="transfer", return_url="/")
    order.refresh_from_db()
    assert order.status == "pending_payment"
    payment_transfer_mark_received(payment=start.payment)
    order.refresh_from_db()
    assert order.status == "paid"
    with pytest.raises(Exception) as err:
        payment_transfer_mark_received(payment=start.payment)
    assert err.value.code == "transfer_not_pending"
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1


# --- Webhooks ------------------------------------------------------------------------------------


def _event(payment, event_id="evt_1", kind="charge.succeeded"):
    body = {
        "id": event_id,
        "type": kind,
        "data": {"reference": payment.provider_ref, "amount": str(payment.amount)},
    }
    return json.dumps(body).encode()


def _post(client, raw, signature):
    return client.post(
        "/paiement/webhook/",
        data=raw,
        content_type="application/json",
        headers={"Galerie-Signature": signature},
    )


def test_webhook_with_good_signature_is_applied_once(order):
    start = payment_start(order=order, method="card", return_url="/")
    raw = _event(start.payment)
    client = Client()
    first = _post(client, raw, webhook_sign(raw))
    replay = _post(client, raw, webhook_sign(raw))
    assert first.json() == {"result": "processed"}
    assert replay.json() == {"result": "duplicate"}
    order.refresh_from_db()
    assert order.status == "paid"
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "t=abc,v1=00",
        "t={now},v1=" + "0" * 64,
    ],
)
def test_webhook_with_bad_signature_is_rejected(order, signature):
    start = payment_start(order=order, method="card", return_url="/")
    raw = _event(start.payment)
    response = _post(Client(), raw, signature.format(now=int(time.time())))
    assert response.status_code == 400
    assert response.json()["code"] == "webhook_rejected"
    order.refresh_from_db()
    assert order.status == "pending_payment"
    assert not WebhookEvent.objects.exists()


def test_webhook_signed_for_another_body_is_rejected(order):
    start = payment_start(order=order, method="card", return_url="/")
    raw = _event(start.payment)
    response = _post(Client(), raw, webhook_sign(raw.replace(b"evt_1", b"evt_2")))
    assert response.status_code == 400


def test_webhook_older_than_300_seconds_is_rejected(order):
    start = payment_start(order=order, method="card", return_url="/")
    raw = _event(start.payment)
    old = webhook_sign(raw, timestamp=int(time.time()) - 301)
    response = _post(Client(), raw, old)
    assert response.status_code == 400
    assert "300" in response.json()["message"]
    recent = webhook_sign(raw, timestamp=int(time.time()) - 290)
    assert _post(Client(), raw, recent).status_code == 200


def test_webhook_with_wrong_amount_is_ignored(order):
    start = payment_start(order=order, method="card", return_url="/")
    body = json.loads(_event(start.payment))
    body["data"]["amount"] = "0.01"
    raw = json.dumps(body).encode()
    assert _post(Client(), raw, webhook_sign(raw)).json() == {"result": "ignored"}
    order.refresh_from_db()
    assert order.status == "pending_payment"


def test_capture_after_expiry_is_refunded_automatically(order):
    from galerie.payments.refunds import order_cancel

    start = payment_start(order=order, method="card", return_url="/")
    order_cancel(order=order)
    # The customer paid on the hosted page just as the order was cancelled (a race).
    Payment.objects.filter(pk=start.payment.pk).update(status="pending")
    SimulatedCharge.objects.filter(token=start.payment.provider_ref).update(status="succeeded")
    raw = _event(start.payment)
    _post(Client(), raw, webhook_sign(raw))
    payment = Payment.objects.get(pk=start.payment.pk)
    assert payment.status == "captured" and payment.refunded_amount == Decimal("25.00")

import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from galerie.orders.services import order_remember_in_session
from galerie.testing.factories import make_offer

pytestmark = pytest.mark.django_db


def _guest_with(order) -> Client:
    client = Client()
    session = client.session
    session["orders"] = [str(order.public_id)]
    session.save()
    return client


@pytest.fixture
def order(place):
    return place([(make_offer(price="10.00").pk, 2), (make_offer(price="4.00").pk, 1)])


def test_guest_sees_order_remembered_in_session(order, django_assert_max_num_queries):
    client = _guest_with(order)
    with django_assert_max_num_queries(15):
        response = client.get(order.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert order.number in html
    assert "Vendu et expédié par" in html
    assert "TVA" in html and "24,00" in html
    history = client.get("/commandes/")
    assert order.number in history.content.decode()


def test_foreign_and_unknown_orders_are_404(order):
    assert Client().get(order.get_absolute_url()).status_code == 404
    assert Client().get(f"/commandes/{uuid.uuid4()}/").status_code == 404
    assert order.number not in Client().get("/commandes/").content.decode()
    assert Client().post(f"/commandes/{order.public_id}/annuler/").status_code == 404
    order.refresh_from_db()
    assert order.status == "pending_payment"


def test_logged_in_customer_sees_only_their_orders(place):
    User = get_user_model()
    alice = User.objects.create_user("alice", "alice@example.fr", "pw-alice-123")
    bob = User.objects.create_user("bob", "bob@example.fr", "pw-bob-123")
    mine = place([(make_offer().pk, 1)], user=alice, email="alice@example.fr")
    theirs = place([(make_offer().pk, 1)], user=bob, email="bob@example.fr")
    client = Client()
    client.force_login(alice)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    # Even with bob's order id planted in the session.
    session = client.session
    session["orders"] = [str(theirs.public_id)]
    session.save()
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(f"/api/orders/{theirs.public_id}").status_code == 404
    assert client.get(f"/api/orders/{mine.public_id}").status_code == 200


def test_remember_in_session_helper(order, rf):
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/")
    request.session = SessionStore()
    order_remember_in_session(request, order)
    order_remember_in_session(request, order)
    assert request.session["orders"] == [str(order.public_id)]


def test_pay_by_card_redirects_to_hosted_page(order):
    client = _guest_with(order)
    response = client.post(f"/commandes/{order.public_id}/payer/", {"method": "card"})
    assert response.status_code == 302
    assert response["Location"].startswith("/paiement/passerelle/cs_")


def test_pay_by_transfer_shows_reference(order):
    client = _guest_with(order)
    client.post(f"/commandes/{order.public_id}/payer/", {"method": "transfer"})
    html = client.get(order.get_absolute_url()).content.decode()
    assert "GAL" in html and "IBAN" in html


def test_customer_cancels_unpaid_order(order):
    client = _guest_with(order)
    response = client.post(f"/commandes/{order.public_id}/annuler/")
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "cancelled"


# --- API -----------------------------------------------------------------------------------------


def test_api_order_list_detail_and_status(order):
    client = _guest_with(order)
    listing = client.get("/api/orders/")
    assert [o["number"] for o in listing.json()] == [order.number]
    detail = client.get(f"/api/orders/{order.public_id}").json()
    assert detail["total"] == str(order.total)
    assert len(detail["seller_orders"]) == 2
    rows = detail["vat_breakdown"]
    assert sum(float(r["ttc"]) for r in rows) == pytest.approx(float(order.total))
    status = client.get(f"/api/orders/{order.public_id}/status").json()
    assert status["status"] == "pending_payment"


def test_api_foreign_order_is_404_json(order):
    response = Client().get(f"/api/orders/{order.public_id}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    response = Client().post(
        f"/api/payments/orders/{order.public_id}/pay",
        data={"method": "card"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not order.payments.exists()


def test_api_pay_is_idempotent_and_errors_are_json(order):
    client = _guest_with(order)
    url = f"/api/payments/orders/{order.public_id}/pay"
    first = client.post(url, data={"method": "card"}, content_type="application/json").json()
    again = client.post(url, data={"method": "card"}, content_type="application/json").json()
    assert first["redirect_url"] == again["redirect_url"] != ""
    assert order.payments.count() == 1
    bad = client.post(url, data={"method": "cheque"}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["code"] == "unknown_payment_method"
    transfer = client.post(url, data={"method": "transfer"}, content_type="application/json")
    assert transfer.json()["bank_reference"].startswith("GAL")


def test_payment_outcome_is_explained_on_return(order):
    client = _guest_with(order)
    html = client.get(order.get_absolute_url() + "?paiement=failed").content.decode()
    assert "Paiement refusé" in html


def test_invoice_per_seller_once_paid(place):
    from decimal import Decimal

    from galerie.payments.services import payment_start, payment_transfer_mark_received
    from galerie.testing.factories import make_seller

    seller = make_seller(legal_name="Librairie Dupont SARL", siren="123456789")
    order = place([(make_offer(seller=seller, price="12.00").pk, 1), (make_offer().pk, 1)])
    so = order.seller_orders.get(seller=seller)
    client = _guest_with(order)
    url = f"/commandes/{order.public_id}/facture/{so.pk}/"
    assert client.get(url).status_code == 404  # not paid yet
    payment_transfer_mark_received(
        payment=payment_start(order=order, method="transfer", return_url="/").payment
    )
    html = client.get(url).content.decode()
    assert "Librairie Dupont SARL" in html and "123456789" in html
    assert "12,00" in html and "10,00" in html  # TTC and HT at 20 %
    assert Decimal("12.00") == so.total
    assert Client().get(url).status_code == 404  # someone else
    other = order.seller_orders.exclude(pk=so.pk).get()
    assert client.get(f"/commandes/{uuid.uuid4()}/facture/{other.pk}/").status_code == 404
    detail = client.get(order.get_absolute_url()).content.decode()
    assert "Historique" in detail and "Payée" in detail


def test_api_refund_needs_the_refund_permission_and_is_idempotent(place):
    import json

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from galerie.payments.services import payment_start, payment_transfer_mark_received

    order = place([(make_offer(price="10.00", stock=5).pk, 3)])
    payment_transfer_mark_received(
        payment=payment_start(order=order, method="transfer", return_url="/").payment
    )
    line = order.lines.get()
    url = f"/api/payments/orders/{order.public_id}/refunds"
    body = json.dumps({"lines": {str(line.pk): 1}, "reason": "Article abîmé"})

    customer = _guest_with(order)
    denied = customer.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "r1"}
    )
    assert denied.status_code == 403 and denied.json()["code"] == "forbidden"

    # Staff is not enough: the refund needs the orders.refund permission (Service client's).
    staff = Client()
    ops = get_user_model().objects.create_user("ops", is_staff=True)
    staff.force_login(ops)
    no_right = staff.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "r1"}
    )
    assert no_right.status_code == 403 and no_right.json()["code"] == "forbidden"
    assert order.refunds.count() == 0
    ops.user_permissions.add(
        Permission.objects.get(codename="refund", content_type__app_label="orders")
    )
    staff.force_login(get_user_model().objects.get(pk=ops.pk))  # drop the cached permissions
    first = staff.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "r1"}
    )
    again = staff.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "r1"}
    )
    assert first.status_code == again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["amount"] == "10.00" and again.json()["refunded_total"] == "10.00"
    other = json.dumps({"lines": {str(line.pk): 2}})
    conflict = staff.post(
        url, other, content_type="application/json", headers={"Idempotency-Key": "r1"}
    )
    assert conflict.status_code == 409 and conflict.json()["code"] == "idempotency_conflict"
    too_many = staff.post(
        url,
        json.dumps({"lines": {str(line.pk): 5}}),
        content_type="application/json",
        headers={"Idempotency-Key": "r2"},
    )
    assert too_many.status_code == 400 and too_many.json()["code"] == "refund_invalid"
    no_key = staff.post(url, body, content_type="application/json")
    assert no_key.status_code == 400
    # NUL was a 500 on PostgreSQL, which refuses it in text (found by the API fuzzer).
    nul_reason = staff.post(
        url,
        json.dumps({"reason": "a\x00"}),
        content_type="application/json",
        headers={"Idempotency-Key": "r3"},
    )
    assert nul_reason.status_code == 422 and "reason" in nul_reason.json()["message"]
    nul_key = staff.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "r\x00"}
    )
    assert nul_key.status_code == 400 and nul_key.json()["code"] == "invalid_idempotency_key"
    order.refresh_from_db()
    assert order.refunded_total == Decimal("10.00") and order.refunds.count() == 1


def test_vat_rates_are_shown_the_french_way(place):
    from galerie.orders.templatetags.orders import rate
    from galerie.testing.factories import make_book_type, make_product

    assert [rate(Decimal(v)) for v in ("20.00", "5.50", "2.10", "10")] == ["20", "5,5", "2,1", "10"]
    book = make_product(product_type=make_book_type(), publisher_price="20.00")
    order = place([(make_offer(book, price="20.00").pk, 1)])
    html = _guest_with(order).get(order.get_absolute_url()).content.decode()
    assert "5,5 %" in html and "5,50 %" not in html


def test_order_page_in_english_on_an_english_storefront(place):
    from galerie.testing.factories import make_storefront

    shop = make_storefront("english", language="en")
    order = place([(make_offer().pk, 1)], storefront=shop)
    client = _guest_with(order)
    html = client.get(order.get_absolute_url(), HTTP_HOST="english.localhost").content.decode()
    assert "Sold and shipped by" in html and "awaiting payment" in html


def test_api_pay_with_session_cookie_needs_csrf(order):
    import re

    strict = Client(enforce_csrf_checks=True)
    session = strict.session
    session["orders"] = [str(order.public_id)]
    session.save()
    url = f"/api/payments/orders/{order.public_id}/pay"

    forged = strict.post(url, data={"method": "card"}, content_type="application/json")

    assert forged.status_code == 403 and forged.json()["code"] == "csrf_failed"
    assert not order.payments.exists()
    order.refresh_from_db()
    assert order.status == "pending_payment"
    # The page's own script sends the token: then the payment starts.
    page = strict.get(order.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    token = token[1] if token else strict.cookies["csrftoken"].value
    ok = strict.post(
        url, data={"method": "card"}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert ok.status_code == 200 and order.payments.count() == 1

"""Production default: without GALERIE_PAYMENT_SIMULATOR=1 the simulated card provider does not
exist. Its pages and webhook are 404, test card 4242… pays nothing, and no page offers the card."""

import pytest
from django.test import Client

from galerie.checkout.tests.helpers import add_to_cart, checkout, choose_delivery, fill_address
from galerie.checkout.tests.helpers import recap as recap_page
from galerie.orders.models import Order, OrderStatus
from galerie.payments.errors import UnknownPaymentMethod
from galerie.payments.gateways import CARD_SUCCESS
from galerie.payments.models import Payment, SimulatedCharge, WebhookEvent
from galerie.payments.services import payment_start
from galerie.sellers.models import Offer
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(place):
    return place([(make_offer(price="25.00", stock=2).pk, 1)])


@pytest.fixture
def simulator_off(settings):
    settings.GALERIE_PAYMENT_SIMULATOR = False


def test_the_suite_runs_with_the_simulator_on_like_the_demo(settings):
    assert settings.GALERIE_PAYMENT_SIMULATOR is True


def test_card_session_opened_before_switch_off_cannot_be_paid_with_4242(order, settings):
    start = payment_start(order=order, method="card", return_url=order.get_absolute_url())
    client = Client()
    assert client.get(start.redirect_url).status_code == 200  # on: the hosted page answers

    settings.GALERIE_PAYMENT_SIMULATOR = False
    assert client.get(start.redirect_url).status_code == 404
    response = client.post(start.redirect_url, {"card_number": CARD_SUCCESS})
    assert response.status_code == 404
    assert client.post(start.redirect_url + "3ds/", {"decision": "approve"}).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT and order.paid_at is None
    assert SimulatedCharge.objects.get(token=start.payment.provider_ref).status == "open"
    assert Payment.objects.get(pk=start.payment.pk).status == "pending"


def test_webhook_is_404_when_off(order, simulator_off):
    response = Client().post("/paiement/webhook/", data=b"{}", content_type="application/json")
    assert response.status_code == 404
    assert not WebhookEvent.objects.exists()


def test_card_payment_cannot_start_when_off(order, simulator_off):
    with pytest.raises(UnknownPaymentMethod) as error:
        payment_start(order=order, method="card", return_url="/")
    assert "virement" in error.value.message
    assert not Payment.objects.filter(order=order).exists()
    # The transfer still works.
    start = payment_start(order=order, method="transfer", return_url="/")
    assert start.payment.method == "transfer"


def test_order_page_offers_only_the_transfer_when_off(order, settings):
    client = Client(HTTP_HOST="culture.localhost")
    session = client.session
    session["orders"] = [str(order.public_id)]
    session.save()
    html = client.get(order.get_absolute_url()).content.decode()
    assert 'value="card"' in html  # on: both buttons

    settings.GALERIE_PAYMENT_SIMULATOR = False
    html = client.get(order.get_absolute_url()).content.decode()
    assert 'value="transfer"' in html
    assert 'value="card"' not in html and "par carte" not in html


@pytest.fixture
def shop_client():
    category = make_category("Livres")
    make_storefront("culture", name="Culture & Cie", categories=[category])
    make_offer(make_product("Germinal", category=category), price="9.00", stock=3)
    client = Client(HTTP_HOST="culture.localhost")
    add_to_cart(client, Offer.objects.get())
    return client


def test_checkout_offers_only_the_transfer_and_refuses_card_when_off(shop_client, simulator_off):
    fill_address(shop_client)
    choose_delivery(shop_client)
    html, key = recap_page(shop_client)
    assert 'value="transfer"' in html and 'value="card"' not in html
    assert "Carte bancaire" not in html

    response = shop_client.post(
        "/commande/valider/", {"idempotency_key": key, "payment_method": "card"}
    )
    assert response.status_code == 302 and response["Location"] == "/commande/recapitulatif/"
    assert not Order.objects.exists() and not Payment.objects.exists()


def test_checkout_by_transfer_works_when_off(shop_client, simulator_off):
    response, _html = checkout(shop_client, method="transfer")
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    assert order.payments.get().method == "transfer"


def test_checkout_offers_the_card_when_on(shop_client):
    fill_address(shop_client)
    choose_delivery(shop_client)
    html, _key = recap_page(shop_client)
    assert 'value="card"' in html and 'value="transfer"' in html

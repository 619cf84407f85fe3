"""A business buyer enters its company, SIREN and VAT number at checkout; its invoices show them."""

import pytest
from django.test import Client

from galerie.checkout.tests.helpers import ADDRESS, add_to_cart, choose_delivery, place, recap
from galerie.invoicing.models import Invoice
from galerie.orders.models import Order
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    category = make_category("Livres")
    make_storefront("culture", name="Culture & Cie", categories=[category])
    return category


@pytest.fixture
def client(category):
    return Client(HTTP_HOST="culture.localhost")


@pytest.fixture
def offers(category):
    product = make_product("Germinal", category=category)
    return [make_offer(product, seller=make_seller("Librairie Alice"), price="9.00", stock=3)]


COMPANY = {
    "buyer-company": "Bibliothèque Nord SAS",
    "buyer-siren": "552 100 554",
    "buyer-vat_number": "FR96552100554",
}


def _address(client, **buyer):
    return client.post("/commande/", {**ADDRESS, "email": "achats@example.fr", **buyer})


@pytest.mark.parametrize(
    ("buyer", "message"),
    [
        ({**COMPANY, "buyer-siren": "552100555"}, "SIREN (9 chiffres)"),
        ({**COMPANY, "buyer-vat_number": "FR12552100554"}, "numéro de TVA intracommunautaire"),
        ({**COMPANY, "buyer-vat_number": "FR44732829320"}, "ne correspond pas au SIREN"),
        ({"buyer-siren": "552100554"}, "nom de la société"),
    ],
)
def test_bad_business_identity_is_refused_and_nothing_is_placed(client, offers, buyer, message):
    add_to_cart(client, offers[0])
    response = _address(client, **buyer)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert client.get("/commande/recapitulatif/")["Location"] == "/commande/"
    assert Order.objects.count() == 0


def test_business_identity_is_stored_on_the_order_and_printed_on_its_invoice(client, offers):
    add_to_cart(client, offers[0])
    response = _address(client, **COMPANY)
    assert response.status_code == 302, response.content.decode()[:2000]
    choose_delivery(client)
    _html, key = recap(client)
    assert place(client, key, method="transfer").status_code == 302
    order = Order.objects.get()
    assert (order.buyer_company, order.buyer_siren, order.buyer_vat_number) == (
        "Bibliothèque Nord SAS",
        "552100554",
        "FR96552100554",
    )
    pay_by_transfer_received(order)
    invoice = Invoice.objects.get(seller_order__order=order)
    page = client.get(f"/commandes/{order.public_id}/facture/{invoice.seller_order_id}/")
    html = page.content.decode()
    assert page.status_code == 200 and invoice.number in html
    assert "Bibliothèque Nord SAS" in html and "552100554" in html and "FR96552100554" in html


def pay_by_transfer_received(order):
    from galerie.payments.services import payment_transfer_mark_received

    payment = order.payments.get()
    payment_transfer_mark_received(payment=payment)


def test_private_buyer_leaves_the_company_blank(client, offers):
    add_to_cart(client, offers[0])
    assert _address(client).status_code == 302
    choose_delivery(client)
    _html, key = recap(client)
    place(client, key, method="transfer")
    order = Order.objects.get()
    assert (order.buyer_company, order.buyer_siren, order.buyer_vat_number) == ("", "", "")

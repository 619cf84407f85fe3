"""One postal-address rule (accounts.addresses): the web form, the checkout API and order_place
accept the same addresses, normalised the same way, and refuse the same ones with the same
message. Limits come from the Address model, countries from DELIVERY_COUNTRIES."""

import pytest
from django.test import Client

from galerie.accounts.addresses import ADDRESS_LIMITS, address_clean
from galerie.accounts.countries import DELIVERY_COUNTRIES
from galerie.accounts.errors import InvalidAddress
from galerie.accounts.forms import AddressFields
from galerie.accounts.models import Address
from galerie.orders.models import Order
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront

BASE = {
    "name": "Marie Curie",
    "line1": "11 rue Pierre et Marie Curie",
    "line2": "",
    "postcode": "75005",
    "city": "Paris",
    "country": "FR",
    "phone": "",
}

# (change to BASE, expected stored postcode) or (change, refused field)
ACCEPTED = [
    ({}, "75005"),
    ({"country": "LU", "postcode": "L-1234", "city": "Luxembourg"}, "L-1234"),
    ({"country": "LU", "postcode": "1234", "city": "Luxembourg"}, "L-1234"),
    ({"country": "LU", "postcode": "l1234", "city": "Luxembourg"}, "L-1234"),
    ({"country": "BE", "postcode": "1000", "city": "Bruxelles"}, "1000"),
    ({"country": "NL", "postcode": "1012ab", "city": "Amsterdam"}, "1012 AB"),
    ({"country": "GB", "postcode": "sw1a1aa", "city": "London"}, "SW1A 1AA"),
    ({"country": "PT", "postcode": "1000-001", "city": "Lisboa"}, "1000-001"),
    ({"country": "MC", "postcode": "98000", "city": "Monaco"}, "98000"),
    ({"name": "N" * ADDRESS_LIMITS["name"]}, "75005"),
    ({"line1": "L" * ADDRESS_LIMITS["line1"]}, "75005"),
]
REFUSED = [
    ({"postcode": "7500"}, "postcode"),
    ({"country": "LU", "postcode": "L-12345", "city": "Luxembourg"}, "postcode"),
    ({"country": "BE", "postcode": "10000", "city": "Bruxelles"}, "postcode"),
    ({"country": "US", "postcode": "10001", "city": "New York"}, "country"),  # not delivered
    ({"country": "XX"}, "country"),
    ({"name": "N" * (ADDRESS_LIMITS["name"] + 1)}, "name"),
    ({"line1": "L" * (ADDRESS_LIMITS["line1"] + 1)}, "line1"),
    ({"line2": "L" * (ADDRESS_LIMITS["line2"] + 1)}, "line2"),
    ({"city": "C" * (ADDRESS_LIMITS["city"] + 1)}, "city"),
    ({"city": ""}, "city"),
    ({"name": "  "}, "name"),
    ({"phone": "appelez-moi"}, "phone"),
]


def test_limits_and_countries_are_the_models_and_the_lists():
    assert {f: Address._meta.get_field(f).max_length for f in ADDRESS_LIMITS} == ADDRESS_LIMITS
    assert ADDRESS_LIMITS["name"] == 120 and ADDRESS_LIMITS["line1"] == 200
    assert len(DELIVERY_COUNTRIES) == 32


def _form(address: dict):
    form = AddressFields(data=address)
    return form, form.is_valid()


@pytest.fixture
def api():
    category = make_category("Livres")
    make_storefront("culture", categories=[category])
    offer = make_offer(make_product("Livre", category=category), stock=50)
    client = Client(HTTP_HOST="culture.localhost")
    response = client.post(
        "/api/cart/lines", {"offer_id": offer.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    token = response["X-Cart-Token"]
    keys = iter(range(10_000))

    def place(address: dict):
        return client.post(
            "/api/checkout/orders",
            {"email": "marie@example.fr", "shipping_address": address},
            content_type="application/json",
            HTTP_X_CART_TOKEN=token,
            HTTP_IDEMPOTENCY_KEY=f"address-{next(keys):012d}",
        )

    return place


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "postcode"), ACCEPTED)
def test_accepted_by_form_service_and_api_alike(api, change, postcode):
    address = {**BASE, **change}

    form, valid = _form(address)
    assert valid, form.errors
    service = address_clean(address, which="de livraison")
    response = api(address)

    assert response.status_code == 201, response.json()
    stored = Order.objects.get(public_id=response.json()["public_id"]).shipping_address
    assert form.address() == service == stored
    assert stored["postcode"] == postcode


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field"), REFUSED)
def test_refused_by_form_service_and_api_with_the_same_message(api, change, field):
    address = {**BASE, **change}

    form, valid = _form(address)
    assert not valid and list(form.errors) == [field]
    [message] = form.errors[field]
    with pytest.raises(InvalidAddress) as refused:
        address_clean(address, which="de livraison")
    response = api(address)

    assert refused.value.field == f"de livraison.{field}"
    assert refused.value.message == f"Adresse de livraison : {message}"
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_address",
        "message": f"Adresse de livraison : {message}",
        "field": f"de livraison.{field}",
    }
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_checkout_page_stores_luxembourg_postcode_as_the_order_does():
    category = make_category("Livres")
    make_storefront("culture", categories=[category])
    offer = make_offer(make_product("Livre", category=category))
    web = Client(HTTP_HOST="culture.localhost")
    web.post("/panier/ajouter/", {"offer_id": offer.pk, "quantity": 1})
    response = web.post(
        "/commande/",
        {"email": "marie@example.fr", "shipping-name": "Marie", "shipping-line1": "1 rue Haute",
         "shipping-postcode": "1234", "shipping-city": "Luxembourg", "shipping-country": "LU",
         "billing_same": "on"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/commande/livraison/"
    page = web.get("/commande/").content.decode()
    assert 'value="L-1234"' in page

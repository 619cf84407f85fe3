"""A voucher code in the cart, through the page (htmx form) and the API: applied, removed, and
each refusal with its message or code and the cart unchanged."""

import pytest
from django.test import Client

from galerie.cart.models import Cart
from galerie.core import clock
from galerie.promotions.tests.conftest import make_voucher
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer():
    category = make_category("Livres")
    make_storefront("culture", categories=[category])
    seller = make_seller("Librairie Alice")
    return make_offer(make_product("Germinal", category=category), seller=seller, price="20.00")


@pytest.fixture
def client():
    return Client(HTTP_HOST="culture.localhost")


def test_a_code_entered_in_the_cart_page_shows_its_discount_and_can_be_removed(client, offer):
    make_voucher("ALICE10", value="10", seller=offer.seller)
    client.post("/panier/ajouter/", {"offer_id": offer.pk})

    response = client.post("/panier/bon/", {"code": "alice10"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Remise bon d'achat ALICE10" in html and "−2,00" in html
    assert response.context["page"].quote.total == offer.price - 2 + offer.delivery_price
    assert Cart.objects.get().voucher_code == "ALICE10"
    client.post("/panier/bon/retirer/")
    assert Cart.objects.get().voucher_code == ""
    assert "Remise bon d'achat" not in client.get("/panier/").content.decode()


@pytest.mark.parametrize(
    ("voucher", "message"),
    [
        (None, "Le code « NOPE » n&#x27;existe pas."),
        ({"seller": "other"}, "Le bon « NOPE » ne concerne aucun article de votre panier."),
        ({"max_uses": 1, "uses": 1}, "Le bon « NOPE » a déjà été utilisé."),
    ],
)
def test_a_refused_code_shows_why_and_leaves_the_cart_as_it_was(client, offer, voucher, message):
    if voucher is not None:
        if voucher.get("seller") == "other":
            voucher["seller"] = make_seller("Autre")
        make_voucher("NOPE", **voucher)
    client.post("/panier/ajouter/", {"offer_id": offer.pk})
    before = Cart.objects.values("voucher_code", "updated_at").get()

    response = client.post("/panier/bon/", {"code": "nope"}, follow=True)

    assert message in response.content.decode()
    assert Cart.objects.values("voucher_code", "updated_at").get() == before


def test_the_api_applies_a_code_and_answers_each_refusal_with_its_code(offer):
    api = Client(HTTP_HOST="culture.localhost")
    added = api.post(
        "/api/cart/lines", {"offer_id": offer.pk, "quantity": 1}, content_type="application/json"
    )
    token = added["X-Cart-Token"]
    make_voucher("ALICE10", value="10", seller=offer.seller)
    make_voucher("MAISON", seller=make_seller("Autre"))

    def put(code):
        return api.put(
            "/api/cart/voucher",
            {"code": code},
            content_type="application/json",
            HTTP_X_CART_TOKEN=token,
        )

    unknown, foreign = put("NOPE"), put("maison")
    assert (unknown.status_code, unknown.json()["code"]) == (400, "voucher_unknown")
    assert (foreign.status_code, foreign.json()["code"]) == (409, "voucher_not_applicable")
    assert Cart.objects.get().voucher_code == ""
    ok = put("alice10")
    assert ok.status_code == 200
    assert (ok.json()["voucher_code"], ok.json()["discount"]) == ("ALICE10", "2.00")
    assert ok.json()["items_total"] == "18.00"
    removed = api.delete("/api/cart/voucher", HTTP_X_CART_TOKEN=token)
    assert (removed.json()["voucher_code"], removed.json()["discount"]) == (None, "0.00")


def test_checkout_places_the_order_with_the_carts_voucher_and_clears_it(client, offer):
    from galerie.checkout.services import checkout_place
    from galerie.promotions.models import VoucherRedemption

    make_voucher("ALICE10", value="10", seller=offer.seller)
    client.post("/panier/ajouter/", {"offer_id": offer.pk})
    client.post("/panier/bon/", {"code": "ALICE10"})
    cart = Cart.objects.get()
    address = {"name": "C. Martin", "line1": "1 rue A", "postcode": "75011", "city": "Paris"}

    result = checkout_place(
        storefront=cart.storefront,
        cart=cart,
        email="c@example.fr",
        delivery_choices={},
        shipping_address=address,
        billing_address=address,
        idempotency_key="k-1",
        payment_method="transfer",
    )

    assert result.order.items_total == offer.price - 2
    assert VoucherRedemption.objects.get().order == result.order
    assert Cart.objects.get().voucher_code == ""


def test_the_recap_shows_the_discount_and_a_code_refused_at_placement_leads_to_the_cart(
    client, offer
):
    from galerie.checkout.tests.helpers import choose_delivery, fill_address, place, recap
    from galerie.orders.models import Order
    from galerie.promotions.models import VoucherRedemption

    voucher = make_voucher("UNEFOIS", value="10", seller=offer.seller, max_uses_per_customer=1)
    VoucherRedemption.objects.create(
        voucher=voucher,
        order=_an_order(),
        email="marie@example.fr",
        amount="1.00",
    )
    client.post("/panier/ajouter/", {"offer_id": offer.pk})
    client.post("/panier/bon/", {"code": "unefois"})  # a guest: not known to have used it yet
    fill_address(client)
    choose_delivery(client)
    html, key = recap(client)
    assert "Remise bon d'achat UNEFOIS" in html

    response = place(client, key, method="transfer")

    assert response.status_code == 302 and response["Location"] == "/panier/"
    page = client.get("/panier/").content.decode()
    assert "autant de fois que permis" in page
    assert Order.objects.count() == 1  # only the earlier one
    assert VoucherRedemption.objects.count() == 1


def _an_order():
    from galerie.orders.models import Order

    return Order.objects.create(
        email="marie@example.fr",
        shipping_address={},
        billing_address={},
        items_total=1,
        delivery_total=0,
        total=1,
        vat_total=0,
        idempotency_key="earlier",
        request_hash="x",
        expires_at=clock.now(),
    )

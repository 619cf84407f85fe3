"""Content Security Policy: every page carries the header, and nothing inline runs or styles
without the request's nonce (no style="", no on…= handler, no bare <script> or <style>)."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from galerie.checkout.tests.helpers import add_to_cart, choose_delivery, fill_address
from galerie.orders.services import order_place
from galerie.payments.services import payment_start
from galerie.sellers.models import SellerMember, SellerRole
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db
HOST = "culture.localhost"


class _InlineFinder(HTMLParser):
    def __init__(self, nonce: str):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name == "style" or name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=…>")
        json_data = attrs.get("type") == "application/json"  # data, never executed
        inline = tag == "script" and "src" not in attrs and not json_data
        if inline and attrs.get("nonce") != self.nonce:
            self.problems.append("<script> without src nor the nonce")
        if tag == "style" and attrs.get("nonce") != self.nonce:
            self.problems.append("<style> without the nonce")


def assert_csp_clean(response):
    assert response.status_code == 200, response
    policy = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    # Pictures are served by the project itself: no page may load one from another site.
    assert re.search(r"img-src ([^;]*)", policy)[1].split() == ["'self'", "data:"], policy
    match = re.search(r"'nonce-([^']+)'", policy)
    nonce = match[1] if match else None
    finder = _InlineFinder(nonce)
    finder.feed(response.content.decode())
    assert finder.problems == [], finder.problems
    return nonce


@pytest.fixture
def shop():
    books = make_category("Livres", slug="livres")
    storefront = make_storefront(
        "culture", name="Culture", categories=[books], primary_color="#123456"
    )
    offer = make_offer(make_product("Germinal", category=books), price="9.00", stock=3)
    return storefront, offer


def test_storefront_pages_carry_the_csp_and_nothing_inline_without_nonce(shop):
    _storefront, offer = shop
    client = Client(HTTP_HOST=HOST)
    home = client.get("/")
    nonce = assert_csp_clean(home)
    # The storefront's colours: in a <style> block with this response's nonce.
    assert f'<style nonce="{nonce}">:root{{--primary:#123456' in home.content.decode()
    for url in (
        "/c/livres/",
        f"/p/{offer.product.slug}/",
        "/recherche/?q=germinal",
        "/compte/connexion/",
        "/compte/inscription/",
        "/compte/mot-de-passe/",
    ):
        assert_csp_clean(client.get(url))
    add_to_cart(client, offer)
    assert_csp_clean(client.get("/panier/"))
    fill_address(client)
    choose_delivery(client)
    assert_csp_clean(client.get("/commande/recapitulatif/"))


def test_a_cached_page_carries_the_nonce_of_its_own_response(shop):
    client = Client(HTTP_HOST=HOST)
    first, second = client.get("/"), client.get("/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert assert_csp_clean(first) != assert_csp_clean(second)


def test_mall_index_colours_its_storefront_cards_through_the_nonce(shop):
    response = Client().get("/")
    nonce = assert_csp_clean(response)
    html = response.content.decode()
    assert f'<style nonce="{nonce}">.storefront-card-1{{--primary:#123456}}' in html


def test_order_page_and_hosted_payment_page(shop):
    storefront, offer = shop
    address = {"name": "Marie Curie", "line1": "1 rue Cuvier", "postcode": "75005",
               "city": "Paris", "country": "FR"}  # fmt: skip
    order = order_place(
        storefront=storefront, email="marie@example.fr", lines=[(offer.pk, 1)],
        delivery_choices={}, shipping_address=address, billing_address=address,
        idempotency_key="csp-order-1",
    )  # fmt: skip
    client = Client(HTTP_HOST=HOST)
    session = client.session
    session["orders"] = [str(order.public_id)]
    session.save()
    assert_csp_clean(client.get(order.get_absolute_url()))
    start = payment_start(order=order, method="card", return_url=order.get_absolute_url())
    assert_csp_clean(client.get(start.redirect_url))


def test_seller_portal(shop):
    user = get_user_model().objects.create_user("owner", "owner@example.fr")
    SellerMember.objects.create(seller=make_seller("Vendeur"), user=user, role=SellerRole.OWNER)
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    assert_csp_clean(client.get("/vendeur/"))
    assert_csp_clean(client.get("/vendeur/offres/"))


def test_admin_works_under_the_csp(shop):
    _storefront, offer = shop
    admin = get_user_model().objects.create_superuser("boss", "boss@example.fr", "x")
    client = Client()
    assert_csp_clean(client.get("/admin/login/"))
    client.force_login(admin)
    for url in (
        "/admin/",
        "/admin/catalog/product/",
        f"/admin/catalog/product/{offer.product.pk}/change/",
        "/admin/sellers/offer/",
        "/admin/orders/order/",
        "/admin/pilotage/",
    ):
        assert_csp_clean(client.get(url))

"""The shopper's journey in a real browser (Playwright driving Debian's Chromium).

search → product → add two sellers' offers → checkout as guest → simulated card → confirmation,
on both storefronts of a demo-like mall built with the factories. `*.localhost` resolves to
loopback inside Chromium, so each storefront is browsed under its own host name.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from galerie.orders.models import Order, OrderStatus
from galerie.pricing.services import tax_rates_ensure
from galerie.search.services import search_index_refresh
from galerie.testing.browser import chromium
from galerie.testing.factories import (
    make_book_type,
    make_category,
    make_offer,
    make_product,
    make_product_type,
    make_seller,
    make_storefront,
)

# serialized_rollback: the flush after a transactional test would otherwise drop the VAT rates
# seeded by a data migration, which the tests that run afterwards rely on.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(monkeypatch):
    with chromium(monkeypatch) as instance:
        yield instance


@pytest.fixture
def mall():
    """Two storefronts like the demo's, each with one product sold by two sellers."""
    tax_rates_ensure()  # the seeded VAT rates, also when run with --nomigrations
    books = make_category("Livres")
    sound = make_category("Image et son")
    make_storefront("galerie", name="Galerie Culture", categories=[books, sound])
    make_storefront("hightech", name="Galerie High-Tech", categories=[sound])
    librairie = make_seller("Librairie du Marché", address="2 place du Marché\n69001 Lyon")
    sophie = make_seller("Sophie L.", is_trader=False)
    tech = make_seller("Seconde Vie Tech")
    germinal = make_product(
        "Germinal", category=books, product_type=make_book_type(), publisher_price="9.20"
    )
    make_offer(germinal, seller=librairie, price="9.20", stock=5, delivery_price="1.00")
    make_offer(germinal, seller=sophie, price="3.00", stock=1, condition="used")
    headset = make_product(
        "Casque audio sans fil", category=sound, product_type=make_product_type("casque")
    )
    make_offer(headset, seller=tech, price="59.00", stock=3, delivery_price="4.90")
    make_offer(headset, seller=librairie, price="64.00", stock=2)
    search_index_refresh(product_ids=[germinal.pk, headset.pk])
    return {"galerie": "Germinal", "hightech": "Casque audio sans fil"}


def _snap(page, name: str) -> None:
    """GALERIE_SCREENSHOTS=/some/dir keeps a full-page screenshot of each step (for review)."""
    folder = os.environ.get("GALERIE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _journey(browser, base: str, title: str) -> str:
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(base + "/")

    page.fill("#site-search", title.split()[0])
    page.press("#site-search", "Enter")
    page.wait_for_url(re.compile(r".*/recherche/.*"))
    page.get_by_role("link", name=title).first.click()
    page.wait_for_url(re.compile(r".*/p/.*"))
    product_url = page.url

    page.locator(".buy-box button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/panier/$"))
    page.goto(product_url)
    page.locator(".other-offers button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/panier/$"))
    assert page.locator(".cart-group").count() == 2

    # htmx: changing a quantity re-renders the cart in place (no page load).
    total_before = page.locator(".cart-total").inner_text()
    quantity = page.locator("input.qty:not([max='1'])").first
    with page.expect_response(lambda r: "/panier/lignes/" in r.url and r.status == 200):
        quantity.fill("2")
        quantity.dispatch_event("change")
    page.wait_for_function(
        "before => document.querySelector('.cart-total').innerText !== before", arg=total_before
    )
    assert page.url.endswith("/panier/")
    _snap(page, f"{urlparse(base).hostname}-1-cart")

    page.get_by_role("link", name="Passer la commande").click()
    page.fill("#id_email", "invitee@example.fr")
    page.fill("#id_shipping-name", "Marie Curie")
    page.fill("#id_shipping-line1", "11 rue Pierre et Marie Curie")
    page.fill("#id_shipping-postcode", "75005")
    page.fill("#id_shipping-city", "Paris")
    page.get_by_role("button", name="Continuer vers la livraison").click()
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    page.wait_for_url(re.compile(r".*/commande/recapitulatif/$"))
    assert "Droit de rétractation" in page.content()
    _snap(page, f"{urlparse(base).hostname}-2-recap")

    page.get_by_role("button", name="Commander avec obligation de paiement").click()
    page.wait_for_url(re.compile(r".*/paiement/passerelle/.*"))
    page.fill("#card_number", "4242 4242 4242 4242")
    page.fill("#expiry", "12/30")
    page.fill("#cvc", "123")
    page.get_by_role("button", name=re.compile("^Payer")).click()
    page.wait_for_url(re.compile(r".*/commandes/[0-9a-f-]+/.*"))
    confirmation = page.content()
    _snap(page, f"{urlparse(base).hostname}-3-confirmation")
    context.close()
    return confirmation


def test_guest_journey_on_both_storefronts(browser, live_server, mall):
    port = urlparse(live_server.url).port
    for slug, title in mall.items():
        confirmation = _journey(browser, f"http://{slug}.localhost:{port}", title)

        order = Order.objects.filter(storefront__slug=slug).get()
        assert order.status == OrderStatus.PAID
        assert order.seller_orders.count() == 2
        assert order.number in confirmation

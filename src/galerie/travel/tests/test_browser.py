"""A shopper books a trip in a real browser (Playwright driving Debian's Chromium), at a phone's
width (390 px) and a desktop's (1280 px): the departures on the product page, 2 adults + 1 child
with an option, the cart's booking summary, the travellers step with its per-field errors, the
delivery step (nothing to ship), the recap with the fee schedule and the margin-scheme mention,
the simulated card, then the order page's travellers and « Annuler ce voyage » under the fee of
today: the refund is shown and the seats are back on sale. No page is wider than the screen."""

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from galerie.core import clock
from galerie.orders.models import Order, OrderStatus
from galerie.pricing.services import tax_rates_ensure
from galerie.testing.browser import chromium
from galerie.testing.factories import make_category, make_seller, make_storefront, make_trip
from galerie.travel.models import Booking, BookingStatus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(monkeypatch):
    with chromium(monkeypatch) as instance:
        yield instance


def _snap(page, name: str) -> None:
    """GALERIE_SCREENSHOTS=/some/dir keeps a full-page screenshot of each step (for review)."""
    folder = os.environ.get("GALERIE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _fits(page, width: int, name: str) -> None:
    """Nothing wider than the screen; the step's screenshot kept on demand."""
    _snap(page, f"trip-{width}-{name}")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: {scroll}px wide at {width}px"


def _text(locator) -> str:
    """The visible text, French number spacing (narrow no-break spaces) made plain."""
    return locator.inner_text().replace("\u202f", " ").replace("\xa0", " ")


def _book_a_trip(browser, base: str, width: int, product_url: str, email: str) -> None:
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)

    # The product page: the departure as a card, seats left, both fares, the schedule folded.
    page.goto(base + product_url)
    card = page.locator(".departure").first
    facts = _text(card)
    assert "Places restantes\n10" in facts
    assert "1 000,00 €" in facts and "600,00 €" in facts
    schedule = card.locator("details.departure-schedule")
    schedule.locator("summary").click()
    assert "frais" in schedule.inner_text()
    _fits(page, width, "1-product")
    card.get_by_label("Adultes").fill("2")
    card.get_by_label("Enfants").fill("1")
    card.get_by_label(re.compile("Chambre individuelle")).check()
    card.get_by_role("button", name=re.compile("^Réserver")).click()
    page.wait_for_url(re.compile(r".*/panier/$"))

    # The cart: the booking and its total, 2 × 1 000 + 600 + 250.
    cart = _text(page.locator("#cart"))
    assert "2 adultes, 1 enfant" in cart
    assert "Chambre individuelle" in cart
    assert "2 850,00 €" in _text(page.locator(".cart-total"))
    _fits(page, width, "2-cart")

    page.get_by_role("link", name="Passer la commande").click()
    page.fill("#id_email", email)
    page.fill("#id_shipping-name", "Marie Curie")
    page.fill("#id_shipping-line1", "11 rue Pierre et Marie Curie")
    page.fill("#id_shipping-postcode", "75005")
    page.fill("#id_shipping-city", "Paris")
    _fits(page, width, "3-address")
    page.get_by_role("button", name="Continuer vers les voyageurs").click()

    # The travellers: a birth date in the future, then a child who would be 12 on departure,
    # each refused on its own field.
    page.wait_for_url(re.compile(r".*/commande/voyageurs/$"))
    _fits(page, width, "4-travellers")
    people = page.locator("fieldset.traveller")
    assert people.count() == 3
    today = clock.localdate()
    names = [
        ("Marie", "Curie", (today + dt.timedelta(days=3)).isoformat()),
        ("Pierre", "Curie", "1959-05-15"),
        ("Irène", "Curie", (today - dt.timedelta(days=365 * 13)).isoformat()),
    ]
    for person, (first, last, born) in zip(people.all(), names, strict=True):
        person.get_by_label("Prénom").fill(first)
        person.get_by_label("Nom de famille").fill(last)
        person.get_by_label("Date de naissance").fill(born)
    submit = page.get_by_role("button", name="Continuer vers le récapitulatif")
    submit.click()
    page.wait_for_load_state()
    assert page.url.endswith("/commande/voyageurs/")
    _fits(page, width, "5-travellers-future")
    assert "futur" in people.nth(0).locator(".error").inner_text()
    people.nth(0).get_by_label("Date de naissance").fill("1967-11-07")
    submit.click()
    page.wait_for_load_state()
    assert page.url.endswith("/commande/voyageurs/")
    _fits(page, width, "5-travellers-child")
    assert people.nth(0).locator(".error").count() == 0
    assert "12 ans" in people.nth(2).locator(".error").inner_text()
    people.nth(2).get_by_label("Date de naissance").fill(
        (today - dt.timedelta(days=365 * 8)).isoformat()
    )
    submit.click()

    # Nothing to ship: no delivery step, straight to the recap.
    page.wait_for_url(re.compile(r".*/commande/recapitulatif/$"))
    recap = _text(page.locator("main"))
    _fits(page, width, "7-recap")
    assert "Régime particulier – Agences de voyages" in recap
    assert "Conditions d'annulation" in recap
    assert "Marie Curie" in recap and "Irène Curie" in recap
    assert "Voyage à date déterminée : pas de droit de rétractation" in recap
    assert "Droit de rétractation : 14 jours" not in recap

    page.get_by_role("button", name="Commander avec obligation de paiement").click()
    page.wait_for_url(re.compile(r".*/paiement/passerelle/.*"))
    _fits(page, width, "8-card")
    page.fill("#card_number", "4242 4242 4242 4242")
    page.fill("#expiry", "12/30")
    page.fill("#cvc", "123")
    page.get_by_role("button", name=re.compile("^Payer")).click()
    page.wait_for_url(re.compile(r".*/commandes/[0-9a-f-]+/.*"))
    _fits(page, width, "9-order")
    order_page = _text(page.locator("main"))
    assert "Irène Curie (enfant, né(e) le" in order_page
    assert "Marie Curie (adulte, né(e) le 07/11/1967)" in order_page
    assert "aujourd'hui : 30 % de frais, soit 855,00 €" in order_page
    assert "sans livraison" not in order_page

    page.get_by_role("link", name="Annuler ce voyage").click()
    page.wait_for_url(re.compile(r".*/annuler/?.*"))
    _fits(page, width, "10-cancel")
    page.get_by_role("button", name="Confirmer l'annulation").click()
    page.wait_for_url(re.compile(r".*/commandes/[0-9a-f-]+/.*"))
    _fits(page, width, "11-cancelled")
    done = _text(page.locator("body"))
    assert "Réservation annulée" in done
    assert "855,00 € de frais retenus, 1 995,00 € remboursés" in done
    assert "Remboursé : 1 995,00 €" in done
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_trip_booked_paid_and_cancelled_in_the_browser(browser, live_server, width):
    tax_rates_ensure()
    voyages = make_category("Voyages")
    storefront = make_storefront("culture", name="Culture", categories=[voyages])
    operator = make_seller("Galerie Voyages", is_operator=True, slug="galerie-voyages")
    departure = make_trip(seller=operator, title="Lisbonne en famille", category=voyages)
    product_url = reverse("product", args=[departure.offer.product.slug])
    base = f"http://culture.localhost:{urlparse(live_server.url).port}"

    _book_a_trip(browser, base, width, product_url, f"marie{width}@example.fr")

    order = Order.objects.get(storefront=storefront)
    booking = Booking.objects.get(order_line__order=order)
    assert booking.status == BookingStatus.CANCELLED
    # The order's only part was the trip: the order is closed, the rest of the price refunded.
    assert order.status == OrderStatus.CANCELLED
    assert booking.cancellation_fee == Decimal("855.00")  # 30 % of 2 850 € two months ahead
    assert order.refunded_total == order.total - booking.cancellation_fee
    departure.offer.refresh_from_db()
    assert departure.offer.stock == 10

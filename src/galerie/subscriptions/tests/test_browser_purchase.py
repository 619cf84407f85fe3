"""A logged-in customer subscribes to a press title in a real browser (Playwright driving Debian's
Chromium), at a phone's width (390 px) and a desktop's (1280 px): the plan on the product page,
« Reconduction tacite » ticked, the choice in the cart, the checkout, the simulated gateway's card
page that asks for the expiry date and the consent to later charges before it saves the card,
then « Mes abonnements » with the subscription active and its next issue. No page is wider than
the screen."""

import datetime as dt
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from galerie.core import clock
from galerie.payments.models import SavedCard
from galerie.pricing.services import tax_rates_ensure
from galerie.subscriptions.models import Subscription, SubscriptionStatus
from galerie.testing.browser import chromium
from galerie.testing.factories import make_category, make_storefront, make_subscription_offer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "pw-abonnement-2026"


@pytest.fixture
def browser(monkeypatch):
    with chromium(monkeypatch) as instance:
        yield instance


def _text(locator) -> str:
    """The visible text, French number spacing (narrow no-break spaces) made plain."""
    return locator.inner_text().replace("\u202f", " ").replace("\xa0", " ")


def _fits(page, width: int, name: str) -> None:
    """Nothing wider than the screen; GALERIE_SCREENSHOTS=/dir keeps each step's screenshot."""
    folder = os.environ.get("GALERIE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"press-{width}-{name}.png"), full_page=True)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: {scroll}px wide at {width}px"


def _subscribe(browser, base: str, width: int, product_url: str, email: str) -> None:
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(base + "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/compte/$"))

    # The product page: the plan, the renewal choice unticked until the customer ticks it.
    page.goto(base + product_url)
    plan = page.locator(".subscription-plan")
    assert "39,00 €" in _text(plan) and "6 mois" in _text(plan)
    _fits(page, width, "1-product")
    renewal = plan.get_by_label("Reconduction tacite")
    assert not renewal.is_checked()
    renewal.check()
    plan.get_by_role("button", name="S'abonner").click()
    page.wait_for_url(re.compile(r".*/panier/$"))
    cart = _text(page.locator("#cart"))
    assert "reconduction tacite choisie" in cart
    assert page.locator("#cart").get_by_label("Reconduction tacite").is_checked()
    assert "39,00 €" in _text(page.locator(".cart-total"))
    _fits(page, width, "2-cart")

    page.get_by_role("link", name="Passer la commande").click()
    page.wait_for_url(re.compile(r".*/commande/$"))
    page.fill("#id_shipping-name", "Claire Dubois")
    page.fill("#id_shipping-line1", "4 rue des Écoles")
    page.fill("#id_shipping-postcode", "75005")
    page.fill("#id_shipping-city", "Paris")
    _fits(page, width, "3-address")
    page.get_by_role("button", name="Continuer vers la livraison").click()
    page.wait_for_url(re.compile(r".*/commande/livraison/$"))
    _fits(page, width, "4-delivery")
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    page.wait_for_url(re.compile(r".*/commande/recapitulatif/$"))
    _fits(page, width, "5-recap")
    assert "Abonnement 6 mois · reconduction tacite choisie" in _text(page.locator(".recap-lines"))
    page.get_by_role("button", name="Commander avec obligation de paiement").click()

    # The card page: the card is kept for renewals, so the expiry and the consent are required,
    # by the browser and, were its checks skipped, by the gateway.
    page.wait_for_url(re.compile(r".*/paiement/passerelle/.*"))
    _fits(page, width, "6-card")
    card_url = page.url
    consent = page.get_by_label(re.compile("à débiter cette carte à chaque reconduction"))
    page.fill("#card_number", "4242 4242 4242 4242")
    page.fill("#cvc", "123")
    pay = page.get_by_role("button", name=re.compile("^Payer"))
    pay.click()
    assert page.url == card_url
    assert page.eval_on_selector("#expiry", "e => e.validity.valueMissing")
    page.fill("#expiry", "12/30")
    pay.click()
    assert page.url == card_url
    assert page.eval_on_selector("#consent", "e => e.validity.valueMissing")
    page.eval_on_selector_all(
        "[required]", "all => all.forEach(e => e.removeAttribute('required'))"
    )
    pay.click()
    page.wait_for_load_state()
    refused = page.get_by_role("alert")
    assert refused.is_visible()
    _fits(page, width, "7-card-refused")
    page.fill("#card_number", "4242 4242 4242 4242")
    page.fill("#expiry", "12/30")
    page.fill("#cvc", "123")
    consent.check()
    page.get_by_role("button", name=re.compile("^Payer")).click()
    page.wait_for_url(re.compile(r".*/commandes/[0-9a-f-]+/.*"))
    _fits(page, width, "8-order")
    assert "Paiement accepté" in _text(page.locator("main"))

    # « Mes abonnements »: active, paid up to the end of the term, the next issue dated.
    page.goto(base + "/compte/abonnements/")
    _fits(page, width, "9-subscriptions")
    row = page.locator("table.subscription-list tbody tr")
    assert row.count() == 1
    listed = _text(row)
    assert "Le Canard du mercredi" in listed
    assert _text(row.locator("td.status-active")) == "en cours"
    assert re.search(r"\t\d{1,2} \w+ \d{4}\toui\t", listed), listed  # next issue, renewal
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_subscription_bought_with_tacit_renewal_in_the_browser(browser, live_server, width):
    tax_rates_ensure()
    presse = make_category("Presse")
    make_storefront("culture", name="Culture", categories=[presse])
    offer = make_subscription_offer(
        title="Le Canard du mercredi",
        price="39.00",
        issues_per_year=52,
        first_issue_on=clock.localdate() - dt.timedelta(days=400),
        category=presse,
    )
    email = f"claire{width}@example.fr"
    user = get_user_model().objects.create_user(email, email, PASSWORD)
    base = f"http://culture.localhost:{urlparse(live_server.url).port}"
    product_url = reverse("product", args=[offer.product.slug])

    _subscribe(browser, base, width, product_url, email)

    subscription = Subscription.objects.get(user=user)
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.auto_renew is True
    card = SavedCard.objects.get(user=user)
    assert subscription.saved_card == card
    assert (card.last4, card.exp_month, card.exp_year) == ("4242", 12, 2030)

"""Termination in three clicks in a real browser (Code de la consommation L215-1-1): from the
storefront's home page, logged in, at a phone's width (390 px) and a desktop's (1280 px):
the footer link, the subscription, « Confirmer la résiliation ». The confirmation e-mail goes out
(the live server runs in this process: Django's test mail outbox receives it)."""

import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from galerie.orders.services import order_place
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.pricing.services import tax_rates_ensure
from galerie.subscriptions.models import Subscription, SubscriptionStatus
from galerie.testing.browser import chromium
from galerie.testing.factories import make_category, make_storefront, make_subscription_offer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADDRESS = {
    "name": "Claire Dubois",
    "line1": "4 rue des Écoles",
    "postcode": "75005",
    "city": "Paris",
    "country": "FR",
}
PASSWORD = "pw-trois-clics-2023"


@pytest.fixture
def browser(monkeypatch):
    with chromium(monkeypatch) as instance:
        yield instance


def _subscribed(storefront, email: str, title: str):
    offer = make_subscription_offer(title=title, price="39.00", issues_per_year=12)
    user = get_user_model().objects.create_user(email, email, PASSWORD)
    order = order_place(
        storefront=storefront,
        email=email,
        user=user,
        lines=[(offer.pk, 1)],
        details={offer.pk: {"auto_renew": True}},
        delivery_choices={},
        shipping_address=ADDRESS,
        billing_address=ADDRESS,
        idempotency_key=f"browser-{email}",
    )
    payment_transfer_mark_received(
        payment=payment_start(order=order, method="transfer", return_url="/").payment
    )
    return Subscription.objects.get(user=user)


@pytest.mark.parametrize("width", [390, 1280])
def test_termination_in_three_clicks_from_the_home_page(browser, live_server, width):
    tax_rates_ensure()
    storefront = make_storefront("culture", name="Culture", categories=[make_category("Presse")])
    email = f"claire{width}@example.fr"
    subscription = _subscribed(storefront, email, "Le Canard du mercredi")
    base = f"http://culture.localhost:{urlparse(live_server.url).port}"
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    # Logged in beforehand (the law counts the clicks of a customer already identified).
    page.goto(base + "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/compte/$"))
    page.goto(base + "/")
    mail.outbox.clear()

    # Click 1: the footer link, on every page.
    page.get_by_role("link", name="Résilier un abonnement").click()
    page.wait_for_url(re.compile(r".*/compte/abonnements/resilier/$"))
    # Click 2: the subscription.
    page.get_by_role("link", name="Résilier Le Canard du mercredi").click()
    page.wait_for_url(re.compile(rf".*/{subscription.public_id}/resilier/$"))
    assert "aucun autre prélèvement" in page.content()
    # Click 3: confirm.
    page.get_by_role("button", name="Confirmer la résiliation").click()
    page.wait_for_url(re.compile(r".*/resiliation-confirmee/$"))
    assert "Résiliation enregistrée" in page.content()
    # Nothing wider than the screen (the pages work at 390 px).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()

    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.TERMINATING
    assert subscription.auto_renew is False
    (message,) = [m for m in mail.outbox if m.to == [email]]
    assert "Le Canard du mercredi" in message.subject
    assert "Aucun autre prélèvement ne sera effectué." in message.body

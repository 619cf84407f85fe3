"""Buying a subscription through the pages and the API: the product page states the plan, the
renewal choice travels in the cart line's details, and the customer's subscriptions API."""

import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from galerie.cart.models import CartLine
from galerie.subscriptions.models import SubscriptionStatus
from galerie.testing.factories import make_offer, make_product, make_subscription_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(press):
    return make_subscription_offer(
        title="Le Canard du mercredi", price="39.00", issues_per_year=12, category=press
    )


@pytest.fixture
def shop():
    return Client(HTTP_HOST="culture.localhost")


def _json(client, method, url, body=None, **headers):
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


# --- product page and cart ---------------------------------------------------------------------


def test_the_product_page_states_the_plan_and_asks_the_renewal_choice(shop, offer):
    html = shop.get(f"/p/{offer.product.slug}/").content.decode()
    assert "39,00" in html and "6,50" in html  # six monthly issues: 6.50 € an issue
    assert "12 numéros par an" in html and "6 mois" in html and "Papier" in html
    assert "TVA 2,1 % incluse" in html
    assert "Reconduction tacite" in html and 'name="auto_renew"' in html
    assert "trois clics" in html
    # A term is not a copy of a book: no "new from" price under the plan.
    assert "Neuf dès" not in html


def test_adding_with_the_box_ticked_keeps_the_choice_and_the_cart_can_change_it(shop, offer):
    response = shop.post(
        "/panier/ajouter/", {"offer_id": offer.pk, "quantity": 1, "auto_renew": ["0", "1"]}
    )
    assert response.status_code == 302
    line = CartLine.objects.get()
    assert (line.quantity, line.details) == (1, {"auto_renew": True})
    assert "reconduction tacite choisie" in shop.get("/panier/").content.decode()
    shop.post(f"/panier/lignes/{line.pk}/reconduction/", {"auto_renew": "0"})
    line.refresh_from_db()
    assert line.details == {"auto_renew": False}


def test_a_subscription_is_added_once(shop, offer):
    shop.post("/panier/ajouter/", {"offer_id": offer.pk, "auto_renew": "0"})
    again = shop.post("/panier/ajouter/", {"offer_id": offer.pk, "auto_renew": "0"}, follow=True)
    assert "déjà dans votre panier" in again.content.decode()
    two = CartLine.objects.get()
    assert two.quantity == 1
    shop.post(f"/panier/lignes/{two.pk}/", {"quantity": "2"})
    two.refresh_from_db()
    assert two.quantity == 1


def test_the_renewal_choice_on_an_ordinary_offer_is_refused(shop, press):
    book = make_offer(make_product("Germinal", category=press))
    response = shop.post("/panier/ajouter/", {"offer_id": book.pk, "auto_renew": "1"}, follow=True)
    assert "ne prend pas de précisions" in response.content.decode()
    assert not CartLine.objects.exists()


def test_api_add_takes_the_renewal_choice_and_changes_it(shop, offer):
    added = _json(
        shop, "post", "/api/cart/lines", {"offer_id": offer.pk, "details": {"auto_renew": True}}
    )
    assert added.status_code == 201
    line = added.json()["groups"][0]["lines"][0]
    assert line["auto_renew"] is True
    token = added.json()["token"]
    changed = _json(
        shop,
        "put",
        f"/api/cart/lines/{line['id']}/details",
        {"auto_renew": False},
        **{"X-Cart-Token": token},
    )
    assert changed.status_code == 200
    assert changed.json()["groups"][0]["lines"][0]["auto_renew"] is False


@pytest.mark.parametrize(
    "details",
    [
        {"auto_renew": True, "renews": 1},
        {"renews": 1, "term": 2},
        {"auto_renew": "yes"},
        {"auto_renew": 1},
        [True],
    ],
)
def test_api_add_refuses_anything_but_the_renewal_choice(shop, offer, details):
    response = _json(shop, "post", "/api/cart/lines", {"offer_id": offer.pk, "details": details})
    assert response.status_code == 422 and response.json()["code"] == "invalid_params"
    assert not CartLine.objects.exists()


def test_api_add_refuses_details_on_goods_and_a_second_unit(shop, offer, press):
    book = make_offer(make_product("Germinal", category=press))
    refused = _json(
        shop, "post", "/api/cart/lines", {"offer_id": book.pk, "details": {"auto_renew": True}}
    )
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_details"
    two = _json(shop, "post", "/api/cart/lines", {"offer_id": offer.pk, "quantity": 2})
    assert two.status_code == 400 and two.json()["code"] == "invalid_quantity"
    assert not CartLine.objects.exists()


def test_api_details_of_a_foreign_line_is_404(offer):
    mine = _json(
        Client(HTTP_HOST="culture.localhost"), "post", "/api/cart/lines", {"offer_id": offer.pk}
    )
    line_id = mine.json()["groups"][0]["lines"][0]["id"]
    stranger = Client(HTTP_HOST="culture.localhost")
    token = _json(stranger, "post", "/api/cart/lines", {"offer_id": offer.pk}).json()["token"]
    response = _json(
        stranger,
        "put",
        f"/api/cart/lines/{line_id}/details",
        {"auto_renew": True},
        **{"X-Cart-Token": token},
    )
    assert response.status_code == 404 and response.json()["code"] == "cart_line_not_found"
    assert CartLine.objects.get(pk=line_id).details == {"auto_renew": False}


# --- the customer's subscriptions API ----------------------------------------------------------


@pytest.fixture
def claire(make_customer):
    return make_customer("claire")


@pytest.fixture
def customer(claire):
    client = Client(HTTP_HOST="culture.localhost", enforce_csrf_checks=True)
    client.force_login(claire)
    client.get("/compte/")  # sets the CSRF cookie
    return client


def _csrf(client) -> dict:
    return {"X-CSRFToken": client.cookies[settings.CSRF_COOKIE_NAME].value}


def test_api_lists_only_my_subscriptions(customer, claire, make_customer, offer, subscriber):
    mine = subscriber(claire, offer, auto_renew=True)
    subscriber(make_customer("bruno"), offer)
    body = customer.get("/api/subscriptions").json()
    assert [s["public_id"] for s in body] == [str(mine.public_id)]
    assert body[0]["paid_until"] == mine.ends_on.isoformat()
    assert body[0]["auto_renew"] is True and body[0]["issues_planned"] == 6
    detail = customer.get(f"/api/subscriptions/{mine.public_id}").json()
    assert len(detail["issues"]) == 6 and detail["terms"][0]["status"] == "paid"


def test_api_terminate_is_idempotent_and_mails_once(
    customer, claire, offer, subscriber, django_capture_on_commit_callbacks
):
    subscription = subscriber(claire, offer, auto_renew=True)
    mail.outbox.clear()
    url = f"/api/subscriptions/{subscription.public_id}/terminate"
    with django_capture_on_commit_callbacks(execute=True):
        first = _json(customer, "post", url, **_csrf(customer))
    with django_capture_on_commit_callbacks(execute=True):
        second = _json(customer, "post", url, **_csrf(customer))
    assert first.status_code == second.status_code == 200
    assert second.json()["status"] == "terminating" and second.json()["auto_renew"] is False
    assert len(mail.outbox) == 1


def test_api_renewal_switch(customer, claire, offer, subscriber):
    subscription = subscriber(claire, offer)
    url = f"/api/subscriptions/{subscription.public_id}/auto-renew"
    response = _json(customer, "put", url, {"auto_renew": True}, **_csrf(customer))
    assert response.status_code == 200 and response.json()["auto_renew"] is True
    bad = _json(customer, "put", url, {"auto_renew": "oui"}, **_csrf(customer))
    assert bad.status_code == 422
    subscription.refresh_from_db()
    assert subscription.auto_renew is True


def test_api_foreign_and_unknown_ids_are_404_and_change_nothing(
    customer, make_customer, offer, subscriber
):
    theirs = subscriber(make_customer("bruno"), offer, auto_renew=True)
    for public_id in (theirs.public_id, uuid.uuid4()):
        base = f"/api/subscriptions/{public_id}"
        assert customer.get(base).status_code == 404
        gone = _json(customer, "post", f"{base}/terminate", **_csrf(customer))
        assert gone.status_code == 404 and gone.json()["code"] == "subscription_not_found"
        switch = _json(
            customer, "put", f"{base}/auto-renew", {"auto_renew": False}, **_csrf(customer)
        )
        assert switch.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == SubscriptionStatus.ACTIVE and theirs.auto_renew is True


def test_api_needs_a_login_and_csrf(customer, claire, offer, subscriber):
    subscription = subscriber(claire, offer)
    anonymous = Client(HTTP_HOST="culture.localhost").get("/api/subscriptions")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthenticated"
    forged = _json(customer, "post", f"/api/subscriptions/{subscription.public_id}/terminate")
    assert forged.status_code == 403 and forged.json()["code"] == "csrf_failed"
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE


def test_api_terminating_an_unpaid_subscription_is_a_409(customer, claire, offer, subscriber):
    subscription = subscriber(claire, offer, paid=False)
    url = f"/api/subscriptions/{subscription.public_id}/terminate"
    response = _json(customer, "post", url, **_csrf(customer))
    assert response.status_code == 409
    assert response.json()["code"] == "subscription_not_terminable"

"""The customer's saved cards under /compte/cartes/: listed, removed, never another's."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from galerie.payments.models import SavedCard
from galerie.subscriptions.models import Subscription, SubscriptionPlan
from galerie.testing.factories import make_offer, make_storefront

pytestmark = pytest.mark.django_db


def _user(email):
    return User.objects.create_user(email, email, "pw-" + email)


def _card(user, last4="4242", **kw):
    return SavedCard.objects.create(
        user=user,
        email=user.email,
        provider_ref=f"card_{user.pk}_{last4}",
        brand="Visa",
        last4=last4,
        exp_month=kw.pop("exp_month", 3),
        exp_year=kw.pop("exp_year", 2031),
        **kw,
    )


def _subscription(user, card):
    offer = make_offer(price="48.00")
    plan = SubscriptionPlan.objects.create(
        offer=offer,
        publication="La Revue des deux rives",
        issues_per_year=12,
        term_months=12,
        first_issue_on=dt.date(2026, 1, 5),
        medium="print",
    )
    return Subscription.objects.create(
        plan=plan,
        seller=offer.seller,
        storefront=make_storefront(),
        user=user,
        email=user.email,
        delivery_address={},
        status="active",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        auto_renew=True,
        saved_card=card,
    )


@pytest.fixture
def alice():
    return _user("alice@example.fr")


@pytest.fixture
def client_of():
    def _client(user):
        client = Client()
        client.force_login(user)
        return client

    return _client


def test_cards_page_lists_own_active_cards_only(alice, client_of):
    _card(alice, "4242")
    _card(alice, "1111", is_active=False)
    _card(_user("bob@example.fr"), "9995")

    response = client_of(alice).get("/compte/cartes/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "•••• 4242" in text and "Expire fin 03/2031" in text and "Supprimer" in text
    assert "1111" not in text and "9995" not in text
    assert "/compte/cartes/" in client_of(alice).get("/compte/").content.decode()


def test_cards_page_requires_login():
    response = Client().get("/compte/cartes/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_removing_a_card_deactivates_it_and_unhooks_its_subscriptions(alice, client_of):
    card = _card(alice)
    subscription = _subscription(alice, card)
    client = client_of(alice)

    confirm = client.get(f"/compte/cartes/{card.pk}/supprimer/")
    response = client.post(f"/compte/cartes/{card.pk}/supprimer/")

    assert confirm.status_code == 200 and "La Revue des deux rives" in confirm.content.decode()
    assert response.status_code == 302 and response["Location"] == "/compte/cartes/"
    card.refresh_from_db()
    subscription.refresh_from_db()
    assert card.is_active is False
    assert subscription.saved_card is None
    assert "4242" not in client.get("/compte/cartes/").content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_customers_card_is_404_and_unchanged(alice, client_of, method):
    bob = _user("bob@example.fr")
    foreign = _card(bob)
    subscription = _subscription(bob, foreign)

    response = getattr(client_of(alice), method)(f"/compte/cartes/{foreign.pk}/supprimer/")

    assert response.status_code == 404
    foreign.refresh_from_db()
    subscription.refresh_from_db()
    assert foreign.is_active is True and subscription.saved_card == foreign


def test_removed_or_unknown_card_is_404(alice, client_of):
    removed = _card(alice, is_active=False)
    client = client_of(alice)

    assert client.post(f"/compte/cartes/{removed.pk}/supprimer/").status_code == 404
    assert client.post("/compte/cartes/999999/supprimer/").status_code == 404

"""The customer's return pages through HTTP: the form, its refusals, its confirmation, and
another customer's order or line answering 404."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from galerie.catalog.models import WithdrawalException
from galerie.core import clock
from galerie.returns.models import ReturnRequest, ReturnStatus
from galerie.testing.factories import (
    make_delivered_order,
    make_offer,
    make_product,
    make_product_type,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return make_storefront("culture")


def customer(username):
    user = get_user_model().objects.create_user(username, f"{username}@example.fr")
    client = Client(HTTP_HOST="culture.localhost")
    client.force_login(user)
    return user, client


def order_of(user, shop, *, exception="", quantity=2, delivered_days_ago=2):
    product_type = make_product_type(f"t-{exception or 'plain'}", withdrawal_exception=exception)
    offer = make_offer(make_product("Abbey Road", product_type=product_type), price="20.00")
    return make_delivered_order(
        [(offer, quantity)],
        storefront=shop,
        user=user,
        email=user.email,
        delivered_at=clock.now() - dt.timedelta(days=delivered_days_ago),
    )


def url(order, line=None, what="retractation"):
    base = f"/commandes/{order.public_id}/retours/"
    return base if line is None else f"{base}{line.pk}/{what}/"


def test_customer_files_a_withdrawal_and_sees_it_confirmed(
    shop, django_capture_on_commit_callbacks
):
    user, client = customer("camille")
    order = order_of(user, shop)
    line = order.lines.get()
    assert "Retourner un article" in client.get(order.get_absolute_url()).content.decode()
    form = client.get(url(order, line))
    assert form.status_code == 200 and 'name="quantity"' in form.content.decode()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(order, line), {"quantity": "1", "reason": "", "idempotency_key": "k1"}, follow=True
        )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Votre demande est enregistrée" in page and "Abbey Road" in page
    request = ReturnRequest.objects.get()
    assert (request.quantity, request.status) == (1, ReturnStatus.REQUESTED)
    assert any(m.to == [user.email] for m in mail.outbox)


def test_too_many_units_are_refused_on_the_form_and_nothing_is_filed(shop):
    user, client = customer("camille")
    order = order_of(user, shop, quantity=2)

    response = client.post(url(order, order.lines.get()), {"quantity": "3", "idempotency_key": ""})

    assert response.status_code == 400
    assert "2 exemplaire(s) au plus" in response.content.decode()
    assert not ReturnRequest.objects.exists()


def test_after_the_period_the_form_says_why(shop):
    user, client = customer("camille")
    order = order_of(user, shop, delivered_days_ago=20)

    response = client.post(url(order, order.lines.get()), {"quantity": "1"})

    assert response.status_code == 400
    assert "Le délai de rétractation de 14 jours a pris fin" in response.content.decode()
    assert not ReturnRequest.objects.exists()


def test_unsealed_media_is_refused_with_the_reason(shop):
    user, client = customer("camille")
    order = order_of(user, shop, exception=WithdrawalException.SEALED_MEDIA)
    line = order.lines.get()
    assert "seal_intact" in client.get(url(order, line)).content.decode()

    response = client.post(url(order, line), {"quantity": "1", "seal_intact": "no"})

    assert response.status_code == 400 and "descellé" in response.content.decode()
    assert not ReturnRequest.objects.exists()


def test_customer_files_a_conformity_claim_with_the_presumption_shown(shop):
    user, client = customer("camille")
    order = order_of(user, shop)
    line = order.lines.get()

    response = client.post(
        url(order, line, "garantie"), {"quantity": "1", "reason": "Rayé"}, follow=True
    )

    assert "défaut présumé exister à la livraison" in response.content.decode()
    assert ReturnRequest.objects.get().presumption_applies is True


def test_another_customers_order_or_line_is_not_found(shop):
    owner, _client = customer("camille")
    order = order_of(owner, shop)
    line = order.lines.get()
    _other, intruder = customer("mallory")
    own = order_of(_other, shop)

    assert intruder.get(url(order)).status_code == 404
    assert intruder.get(url(order, line)).status_code == 404
    assert intruder.post(url(order, line), {"quantity": "1"}).status_code == 404
    assert intruder.post(url(order, line, "garantie"), {"quantity": "1"}).status_code == 404
    # their own order with the victim's line id: still 404
    assert intruder.post(url(own, line), {"quantity": "1"}).status_code == 404
    assert Client(HTTP_HOST="culture.localhost").get(url(order)).status_code == 404
    assert not ReturnRequest.objects.exists()


def test_a_private_sellers_line_shows_why_it_cannot_be_returned(shop):
    user, client = customer("camille")
    private = make_seller("Sophie L.", is_trader=False)
    offer = make_offer(make_product("Vinyle d'occasion"), seller=private, price="8.00")
    order = make_delivered_order(
        [(offer, 1)],
        storefront=shop,
        user=user,
        email=user.email,
        delivered_at=clock.now() - dt.timedelta(days=1),
    )

    page = client.get(url(order)).content.decode()

    assert "Ce vendeur est un particulier" in page
    assert "Me rétracter" not in page and "Signaler un défaut" not in page

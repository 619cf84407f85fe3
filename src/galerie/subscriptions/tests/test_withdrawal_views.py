"""Withdrawal (14 days, pro rata) through HTTP: the detail page offers it within the period, the
confirmation page states the refund before confirming and the refund is that figure; the API
(Idempotency-Key) and the back-office action; another customer's subscription is a 404."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from galerie.core import clock
from galerie.payments.models import Refund
from galerie.subscriptions.models import FulfilmentStatus, SubscriptionStatus
from galerie.subscriptions.services import fulfilments_ship
from galerie.testing.factories import make_subscription_offer

pytestmark = pytest.mark.django_db
St = SubscriptionStatus


@pytest.fixture
def offer(press):
    return make_subscription_offer(
        title="Le Canard du mercredi", price="39.00", issues_per_year=12, category=press
    )


@pytest.fixture
def claire(make_customer):
    return make_customer("claire")


@pytest.fixture
def client(claire):
    client = Client(HTTP_HOST="culture.localhost", enforce_csrf_checks=False)
    client.force_login(claire)
    return client


def ship(subscription, count, *, now=None):
    ids = list(subscription.fulfilments.order_by("issue_date").values_list("pk", flat=True))
    fulfilments_ship(seller=subscription.seller, fulfilment_ids=ids[:count], now=now)


def delivery_of(subscription):
    return subscription.terms.get(number=1).order_line.seller_order.delivery_fee


def test_the_detail_page_offers_withdrawal_with_its_last_day(client, claire, offer, subscriber):
    subscription = subscriber(claire, offer)
    before = client.get(f"/compte/abonnements/{subscription.public_id}/").content.decode()
    # Print: the period runs from the first issue; none shipped yet, so no last day yet.
    assert "Me rétracter" in before and "après l'envoi du premier numéro" in before
    ship(subscription, 1)

    html = client.get(f"/compte/abonnements/{subscription.public_id}/").content.decode()

    last_day = clock.localdate() + dt.timedelta(days=14)
    assert "Me rétracter" in html
    assert f"/compte/abonnements/{subscription.public_id}/retractation/" in html
    assert f"{last_day.day} " in html and str(last_day.year) in html


def test_the_confirmation_states_the_refund_and_confirming_refunds_exactly_that(
    client, claire, offer, subscriber, django_capture_on_commit_callbacks
):
    subscription = subscriber(claire, offer)
    ship(subscription, 2)  # 2 of 6 issues: 39.00 − 13.00 = 26.00, plus the delivery fee
    url = f"/compte/abonnements/{subscription.public_id}/retractation/"

    page = client.get(url)

    quote = page.context["quote"]
    expected = Decimal("26.00") + delivery_of(subscription)
    assert quote.total == expected and (quote.shipped, quote.issues) == (2, 6)
    html = page.content.decode()
    assert f"{expected}".replace(".", ",") in html and "Confirmer ma rétractation" in html
    subscription.refresh_from_db()
    assert subscription.status == St.ACTIVE and not Refund.objects.exists()  # GET changes nothing

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, follow=True)

    assert "Votre rétractation est enregistrée" in done.content.decode()
    refund = Refund.objects.get()
    assert refund.amount == expected and refund.idempotency_key == f"withdrawal-{subscription.pk}"
    subscription.refresh_from_db()
    assert subscription.status == St.CANCELLED and subscription.withdrawn_at is not None
    assert not subscription.fulfilments.filter(status=FulfilmentStatus.SCHEDULED).exists()
    assert [m for m in mail.outbox if "rétractation" in m.subject]
    # The offer is gone from the page, and a second POST refunds nothing more.
    again = client.get(f"/compte/abonnements/{subscription.public_id}/").content.decode()
    assert "Me rétracter" not in again
    client.post(url)
    assert Refund.objects.count() == 1


def test_after_the_period_the_page_says_so_and_nothing_changes(client, claire, offer, subscriber):
    subscription = subscriber(claire, offer)
    ship(subscription, 1, now=clock.now() - dt.timedelta(days=20))
    url = f"/compte/abonnements/{subscription.public_id}/retractation/"
    detail = client.get(f"/compte/abonnements/{subscription.public_id}/").content.decode()
    assert "Me rétracter" not in detail

    shown = client.get(url, follow=True).content.decode()
    posted = client.post(url, follow=True).content.decode()

    assert "délai de rétractation de 14 jours a pris fin" in shown
    assert "délai de rétractation de 14 jours a pris fin" in posted
    subscription.refresh_from_db()
    assert subscription.status == St.ACTIVE and not Refund.objects.exists()


def test_an_unpaid_subscription_cannot_be_withdrawn_from(client, claire, offer, subscriber):
    subscription = subscriber(claire, offer, paid=False)
    url = f"/compte/abonnements/{subscription.public_id}/retractation/"
    response = client.post(url, follow=True)
    assert "rien à rétracter" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == St.PENDING and not Refund.objects.exists()


def test_another_customers_subscription_cannot_be_withdrawn_from(
    client, make_customer, offer, subscriber
):
    theirs = subscriber(make_customer("bruno"), offer)
    for public_id in (theirs.public_id, uuid.uuid4()):
        url = f"/compte/abonnements/{public_id}/retractation/"
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == St.ACTIVE and not Refund.objects.exists()


def test_withdrawal_needs_a_login(offer, claire, subscriber):
    subscription = subscriber(claire, offer)
    anonymous = Client(HTTP_HOST="culture.localhost")
    response = anonymous.post(f"/compte/abonnements/{subscription.public_id}/retractation/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    subscription.refresh_from_db()
    assert subscription.status == St.ACTIVE


# --- API ---------------------------------------------------------------------------------------


@pytest.fixture
def customer(claire):
    client = Client(HTTP_HOST="culture.localhost", enforce_csrf_checks=True)
    client.force_login(claire)
    client.get("/compte/")  # sets the CSRF cookie
    return client


def _post(client, url, key="k-1", csrf=True):
    headers = {}
    if csrf:
        headers["X-CSRFToken"] = client.cookies[settings.CSRF_COOKIE_NAME].value
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(url, None, content_type="application/json", headers=headers)


def test_api_withdraw_refunds_pro_rata_and_replays(customer, claire, offer, subscriber):
    subscription = subscriber(claire, offer)
    ship(subscription, 3)
    url = f"/api/subscriptions/{subscription.public_id}/withdraw"

    first = _post(customer, url)
    again = _post(customer, url)

    expected = Decimal("19.50") + delivery_of(subscription)
    assert first.status_code == 200, first.content
    assert Decimal(first.json()["refunded"]) == expected
    assert first.json()["subscription"]["status"] == "cancelled"
    assert again.status_code == 200 and Decimal(again.json()["refunded"]) == expected
    assert Refund.objects.count() == 1


def test_api_withdraw_bad_input_changes_nothing(customer, claire, make_customer, offer, subscriber):
    subscription = subscriber(claire, offer)
    url = f"/api/subscriptions/{subscription.public_id}/withdraw"
    missing = _post(customer, url, key=None)
    assert missing.status_code == 400 and missing.json()["code"] == "idempotency_key_required"
    forged = _post(customer, url, csrf=False)
    assert forged.status_code == 403 and forged.json()["code"] == "csrf_failed"
    theirs = subscriber(make_customer("bruno"), offer)
    for public_id in (theirs.public_id, uuid.uuid4()):
        gone = _post(customer, f"/api/subscriptions/{public_id}/withdraw")
        assert gone.status_code == 404 and gone.json()["code"] == "subscription_not_found"
    anonymous = Client(HTTP_HOST="culture.localhost").post(url, headers={"Idempotency-Key": "k"})
    assert anonymous.status_code == 401
    ship(subscription, 1, now=clock.now() - dt.timedelta(days=20))
    late = _post(customer, url)
    assert late.status_code == 409 and late.json()["code"] == "withdrawal_period_over"
    for s in (subscription, theirs):
        s.refresh_from_db()
        assert s.status == St.ACTIVE
    assert not Refund.objects.exists()


def test_api_withdraw_of_an_unpaid_subscription_is_a_409(customer, claire, offer, subscriber):
    subscription = subscriber(claire, offer, paid=False)
    response = _post(customer, f"/api/subscriptions/{subscription.public_id}/withdraw")
    assert response.status_code == 409
    assert response.json()["code"] == "subscription_not_withdrawable"


# --- back office -------------------------------------------------------------------------------


def test_admin_withdrawal_reports_a_period_over_and_withdraws_the_others(
    claire, make_customer, offer, subscriber
):
    within = subscriber(claire, offer)
    over = subscriber(make_customer("bruno"), offer)
    ship(over, 1, now=clock.now() - dt.timedelta(days=20))
    root = get_user_model().objects.create_superuser("root", "root@example.fr", "pw-123456789")
    client = Client()
    client.force_login(root)

    response = client.post(
        "/admin/subscriptions/subscription/",
        {"action": "withdraw", "_selected_action": [within.pk, over.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert "1 rétractation(s) enregistrée(s)" in html and "a pris fin" in html
    within.refresh_from_db()
    over.refresh_from_db()
    assert within.status == St.CANCELLED and over.status == St.ACTIVE
    assert Refund.objects.get().idempotency_key == f"withdrawal-{within.pk}"

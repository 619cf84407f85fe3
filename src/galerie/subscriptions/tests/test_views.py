"""The customer's subscription pages through HTTP: the list, one subscription, the renewal switch
and termination in three clicks; another customer's subscription is a 404."""

import uuid

import pytest
from django.core import mail
from django.test import Client

from galerie.subscriptions.models import SubscriptionStatus
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
    client = Client(HTTP_HOST="culture.localhost")
    client.force_login(claire)
    return client


def test_the_list_shows_each_subscription_with_its_status_paid_until_and_next_issue(
    client, claire, offer, subscriber
):
    subscription = subscriber(claire, offer, auto_renew=True)
    response = client.get("/compte/abonnements/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le Canard du mercredi" in html
    assert "en cours" in html
    row = response.context["subscriptions"][0]
    assert row.pk == subscription.pk
    assert row.next_issue_on == subscription.fulfilments.order_by("issue_date")[0].issue_date
    assert (row.issues_shipped, row.issues_planned) == (0, 6)
    assert f"/compte/abonnements/{subscription.public_id}/" in html


def test_the_detail_lists_issues_and_terms(client, claire, offer, subscriber):
    subscription = subscriber(claire, offer)
    response = client.get(f"/compte/abonnements/{subscription.public_id}/")
    assert response.status_code == 200
    assert len(response.context["issues"]) == 6
    assert [t.number for t in response.context["terms"]] == [1]
    assert "Activer la reconduction tacite" in response.content.decode()


def test_switching_tacit_renewal_on_and_off(client, claire, offer, subscriber):
    subscription = subscriber(claire, offer)
    url = f"/compte/abonnements/{subscription.public_id}/reconduction/"
    assert client.post(url, {"auto_renew": "1"}).status_code == 302
    subscription.refresh_from_db()
    assert subscription.auto_renew is True
    client.post(url, {"auto_renew": "0"})
    subscription.refresh_from_db()
    assert subscription.auto_renew is False


def test_pages_need_a_login(offer, claire, subscriber):
    subscription = subscriber(claire, offer)
    anonymous = Client(HTTP_HOST="culture.localhost")
    base = f"/compte/abonnements/{subscription.public_id}"
    for url in ("/compte/abonnements/", f"{base}/", f"{base}/resilier/"):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    assert anonymous.post(f"{base}/resilier/").status_code == 302
    subscription.refresh_from_db()
    assert subscription.status == St.ACTIVE
    # « Résilier un abonnement » (every page's footer) asks a visitor without an account for
    # the subscription's e-mail and order number, and offers the login.
    choose = anonymous.get("/compte/abonnements/resilier/")
    assert choose.status_code == 200 and "/compte/connexion/" in choose.content.decode()
    assert "Numéro de la commande" in choose.content.decode()


def test_another_customers_subscription_is_a_404_everywhere(
    client, make_customer, offer, subscriber
):
    theirs = subscriber(make_customer("bruno"), offer, auto_renew=True)
    base = f"/compte/abonnements/{theirs.public_id}"
    for url in (f"{base}/", f"{base}/resilier/", f"{base}/resiliation-confirmee/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base}/resilier/").status_code == 404
    assert client.post(f"{base}/reconduction/", {"auto_renew": "0"}).status_code == 404
    assert client.get(f"/compte/abonnements/{uuid.uuid4()}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == St.ACTIVE and theirs.auto_renew is True
    assert client.get("/compte/abonnements/").context["subscriptions"] == []


def test_termination_in_three_clicks_from_any_page(client, claire, offer, subscriber):
    subscription = subscriber(claire, offer, auto_renew=True)
    mail.outbox.clear()
    # Click 1: the footer of every storefront page.
    home = client.get("/").content.decode()
    assert 'href="/compte/abonnements/resilier/"' in home
    choose = client.get("/compte/abonnements/resilier/")
    confirm_url = f"/compte/abonnements/{subscription.public_id}/resilier/"
    assert confirm_url in choose.content.decode()
    # Click 2: the confirmation page states the end date and that nothing more is charged.
    confirm = client.get(confirm_url).content.decode()
    assert subscription.ends_on.strftime("%Y") in confirm
    assert "aucun autre prélèvement" in confirm
    assert St(subscription.status) == St.ACTIVE
    # Click 3: confirm.
    done = client.post(confirm_url, follow=True)
    assert done.redirect_chain[-1][0].endswith("/resiliation-confirmee/")
    assert "Résiliation enregistrée" in done.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == St.TERMINATING and subscription.auto_renew is False


def test_terminating_twice_is_harmless(
    client, claire, offer, subscriber, django_capture_on_commit_callbacks
):
    subscription = subscriber(claire, offer)
    url = f"/compte/abonnements/{subscription.public_id}/resilier/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url)
    assert second.status_code == 302 and second["Location"].endswith("/resiliation-confirmee/")
    assert len([m for m in mail.outbox if "résiliation" in m.subject]) == 1


def test_termination_confirms_by_email(
    client, claire, offer, subscriber, django_capture_on_commit_callbacks
):
    subscription = subscriber(claire, offer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/compte/abonnements/{subscription.public_id}/resilier/")
    (message,) = mail.outbox
    assert message.to == ["claire@example.fr"]
    assert "Le Canard du mercredi" in message.subject
    assert "/compte/abonnements/" in message.body


def test_an_unpaid_subscription_cannot_be_terminated_and_nothing_changes(
    client, claire, offer, subscriber
):
    subscription = subscriber(claire, offer, paid=False)
    url = f"/compte/abonnements/{subscription.public_id}/resilier/"
    response = client.post(url, follow=True)
    assert "rien à résilier" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == St.PENDING
    assert client.get("/compte/abonnements/resilier/").context["subscriptions"] == []


def test_the_account_menu_links_the_subscriptions(client):
    html = client.get("/compte/").content.decode()
    assert 'href="/compte/abonnements/"' in html
    assert 'href="/compte/abonnements/resilier/"' in html

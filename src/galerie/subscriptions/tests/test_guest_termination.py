"""Termination in three clicks for a subscriber without an account (guest checkout): the footer's
page asks for the e-mail and the order number, e-mails a signed, expiring link whatever matched
(no enumeration, throttled), and the link opens the same confirmation, whose button terminates."""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from galerie.subscriptions.models import SubscriptionStatus
from galerie.subscriptions.selectors import (
    TERMINATION_LINK_DAYS,
    subscription_termination_token,
)
from galerie.testing.factories import make_subscription_offer
from galerie.testing.subscriptions import subscription_buy

pytestmark = pytest.mark.django_db
St = SubscriptionStatus
CHOOSE = "/compte/abonnements/resilier/"


@pytest.fixture
def guest_subscription(storefront, press):
    offer = make_subscription_offer(
        title="Le Canard du mercredi", price="39.00", issues_per_year=12, category=press
    )
    return subscription_buy(
        offer=offer, storefront=storefront, email="guest@example.fr", auto_renew=True
    )


@pytest.fixture
def anonymous():
    return Client(HTTP_HOST="culture.localhost")


def number_of(subscription) -> str:
    return subscription.terms.get(number=1).order_line.order.number


def answer(response, email) -> str:
    """The page's own answer (its section), the address typed left out."""
    html = response.content.decode()
    return html[html.index('<section class="account') : html.index("</section>")].replace(email, "")


def ask(client, capture, email, reference):
    with capture(execute=True):
        return client.post(CHOOSE, {"email": email, "reference": reference})


def link_in(message) -> str:
    """The path and query of the termination link in an e-mail."""
    (url,) = re.findall(r"https?://\S+/resilier/\?t=\S+", message.body)
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_a_guest_terminates_in_three_clicks_through_the_emailed_link(
    anonymous, guest_subscription, django_capture_on_commit_callbacks
):
    subscription = guest_subscription
    assert subscription.user_id is None
    mail.outbox.clear()
    # Click 1: the footer's page, then the form (e-mail + order number).
    assert 'href="/compte/abonnements/resilier/"' in anonymous.get("/").content.decode()
    sent = ask(
        anonymous,
        django_capture_on_commit_callbacks,
        "Guest@Example.fr",
        number_of(subscription).lower(),
    )
    assert sent.status_code == 200 and "un e-mail vient d'y être envoyé" in sent.content.decode()
    (message,) = mail.outbox
    assert message.to == ["guest@example.fr"] and "Le Canard du mercredi" in message.subject
    link = link_in(message)
    assert link.startswith(f"/compte/abonnements/{subscription.public_id}/resilier/?t=")
    # Click 2: the link opens the same confirmation page.
    confirm = anonymous.get(link)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Confirmer la résiliation" in html and "aucun autre prélèvement" in html
    subscription.refresh_from_db()
    assert subscription.status == St.ACTIVE
    # Click 3: its button terminates, and the termination is confirmed by e-mail.
    token = confirm.context["token"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = anonymous.post(
            f"/compte/abonnements/{subscription.public_id}/resilier/", {"t": token}, follow=True
        )
    assert "Résiliation enregistrée" in done.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == St.TERMINATING and subscription.auto_renew is False
    (confirmation,) = mail.outbox
    assert "confirmation de la résiliation" in confirmation.subject
    # The link again: the done page, nothing sent twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = anonymous.post(
            f"/compte/abonnements/{subscription.public_id}/resilier/", {"t": token}
        )
    assert again.status_code == 302 and "/resiliation-confirmee/?t=" in again["Location"]
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("email", "reference"),
    [
        ("guest@example.fr", "G9999999"),  # another order
        ("someone@example.fr", None),  # the right order, another address
    ],
)
def test_the_answer_is_the_same_whether_anything_matched(
    anonymous, guest_subscription, django_capture_on_commit_callbacks, email, reference
):
    mail.outbox.clear()
    reference = reference or number_of(guest_subscription)
    miss = ask(anonymous, django_capture_on_commit_callbacks, email, reference)
    hit = ask(
        Client(HTTP_HOST="culture.localhost", REMOTE_ADDR="10.0.0.9"),
        django_capture_on_commit_callbacks,
        "guest@example.fr",
        number_of(guest_subscription),
    )
    assert miss.status_code == hit.status_code == 200
    assert answer(miss, email) == answer(hit, "guest@example.fr")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["guest@example.fr"]


def test_a_terminated_or_ended_subscription_gets_no_link(
    anonymous, guest_subscription, django_capture_on_commit_callbacks
):
    from galerie.subscriptions.services import subscription_terminate

    subscription_terminate(subscription=guest_subscription)
    mail.outbox.clear()
    response = ask(
        anonymous,
        django_capture_on_commit_callbacks,
        "guest@example.fr",
        number_of(guest_subscription),
    )
    assert response.status_code == 200 and mail.outbox == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-address", "reference": "G0000001"}, "email"),
        ({"email": "guest@example.fr", "reference": ""}, "reference"),
        ({"email": "guest@example.fr", "reference": "G" + "1" * 40}, "reference"),
    ],
)
def test_bad_input_is_a_form_error_and_sends_nothing(anonymous, guest_subscription, data, field):
    mail.outbox.clear()
    response = anonymous.post(CHOOSE, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert mail.outbox == []


def test_link_requests_are_throttled_per_address(
    anonymous, guest_subscription, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    number = number_of(guest_subscription)
    answers = [
        ask(
            Client(HTTP_HOST="culture.localhost", REMOTE_ADDR=f"10.0.1.{i}"),
            django_capture_on_commit_callbacks,
            "guest@example.fr",
            number,
        ).status_code
        for i in range(4)
    ]
    assert answers == [200, 200, 200, 429]
    assert len(mail.outbox) == 3


def test_link_requests_are_throttled_per_ip(anonymous, django_capture_on_commit_callbacks):
    answers = [
        ask(anonymous, django_capture_on_commit_callbacks, f"x{i}@example.fr", "G1").status_code
        for i in range(11)
    ]
    assert answers == [200] * 10 + [429]


def test_a_tampered_or_foreign_link_opens_nothing(
    anonymous, storefront, guest_subscription, django_capture_on_commit_callbacks
):
    other = subscription_buy(
        offer=make_subscription_offer(), storefront=storefront, email="other@example.fr"
    )
    ask(
        anonymous,
        django_capture_on_commit_callbacks,
        "guest@example.fr",
        number_of(guest_subscription),
    )
    token = link_in(mail.outbox[-1]).split("?t=")[1]
    # The token is signed over its subscription: it does not open another one.
    for url, data in (
        (f"/compte/abonnements/{other.public_id}/resilier/", {"t": token}),
        (f"/compte/abonnements/{guest_subscription.public_id}/resilier/", {"t": token + "x"}),
        (f"/compte/abonnements/{guest_subscription.public_id}/resilier/", {"t": "garbage"}),
    ):
        shown = anonymous.get(url, data, follow=True)
        assert "pas valide" in shown.content.decode()
        posted = anonymous.post(url, data)
        assert posted.status_code == 302 and posted["Location"] == CHOOSE
    for s in (other, guest_subscription):
        s.refresh_from_db()
        assert s.status == St.ACTIVE


def test_an_expired_link_opens_nothing(anonymous, guest_subscription, monkeypatch):
    signed_at = time.time() - TERMINATION_LINK_DAYS * 86400 - 60
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: signed_at)
        token = subscription_termination_token(guest_subscription)
    url = f"/compte/abonnements/{guest_subscription.public_id}/resilier/"

    shown = anonymous.get(url, {"t": token}, follow=True)
    posted = anonymous.post(url, {"t": token})

    assert "a expiré" in shown.content.decode()
    assert posted.status_code == 302 and posted["Location"] == CHOOSE
    guest_subscription.refresh_from_db()
    assert guest_subscription.status == St.ACTIVE

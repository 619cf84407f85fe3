"""Links in order e-mails: absolute on the storefront's own host, and a guest's link opens the
order on any device (signed, expiring token) but never another order, nor after expiry."""

import re
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from galerie.orders import emails
from galerie.orders.models import Order
from galerie.orders.selectors import order_access_token
from galerie.orders.services import seller_order_accept, seller_order_ship
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.storefronts.models import StorefrontHost
from galerie.testing.factories import make_offer, make_seller

pytestmark = pytest.mark.django_db

DAY = 24 * 3600
LINK = re.compile(r"Suivre la commande : (\S+)")


def _placed(place, capture, **kw):
    with capture(execute=True):
        order = place([(make_offer(price="10.00").pk, 1)], **kw)
    return order


def _link(message) -> str:
    return LINK.search(message.body)[1]


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _token_issued(order, *, days_ago: int) -> str:
    """The order's token as the signer would have issued it `days_ago` days ago."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - days_ago * DAY):
        return order_access_token(order)


def _without_hidden_inputs(response) -> str:
    """The page without its CSRF token, `next` field and CSP nonce (they differ per request)."""
    html = re.sub(r'<input type="hidden"[^>]*>', "", response.content.decode())
    return re.sub(r'nonce="[^"]+"', "", html)


def _refused(response, order) -> None:
    assert response.status_code == 403
    html = response.content.decode()
    assert "Lien de suivi refusé" in html
    assert order.number not in html and order.email not in html


def test_confirmation_link_is_absolute_on_the_storefront_host_and_opens_anywhere(
    place, django_capture_on_commit_callbacks
):
    order = _placed(place, django_capture_on_commit_callbacks)
    url = _link(mail.outbox[-1])
    assert url.startswith(f"https://culture.localhost/commandes/{order.public_id}/?t=")
    fresh = Client()  # another device: no session, not logged in
    response = fresh.get(_path(url))
    assert response.status_code == 200
    assert order.number in response.content.decode()
    # That browser may now act on the order like the one that placed it.
    assert fresh.post(f"/commandes/{order.public_id}/annuler/").status_code == 302
    order.refresh_from_db()
    assert order.status == "cancelled"


def test_link_uses_the_primary_host_scheme_and_port_from_settings(
    place, storefront, settings, django_capture_on_commit_callbacks
):
    StorefrontHost.objects.create(storefront=storefront, hostname="a-alias.test", is_primary=False)
    settings.GALERIE_PUBLIC_SCHEME, settings.GALERIE_PUBLIC_PORT = "http", "8000"
    _placed(place, django_capture_on_commit_callbacks)
    assert _link(mail.outbox[-1]).startswith("http://culture.localhost:8000/commandes/")
    settings.GALERIE_PUBLIC_SCHEME, settings.GALERIE_PUBLIC_PORT = "https", "443"
    _placed(place, django_capture_on_commit_callbacks)
    assert _link(mail.outbox[-1]).startswith("https://culture.localhost/commandes/")


def test_link_opens_until_it_expires_then_is_refused(place, settings):
    settings.GALERIE_ORDER_LINK_DAYS = 90
    order = place([(make_offer().pk, 1)])
    url = f"/commandes/{order.public_id}/?t="
    assert Client().get(url + _token_issued(order, days_ago=89)).status_code == 200
    expired = Client()
    response = expired.get(url + _token_issued(order, days_ago=91))
    _refused(response, order)
    assert "a expiré" in response.content.decode()
    # Nothing was granted: the same browser still cannot see or cancel the order.
    assert expired.get(order.get_absolute_url()).status_code == 404
    assert expired.post(f"/commandes/{order.public_id}/annuler/").status_code == 404
    order.refresh_from_db()
    assert order.status == "pending_payment"


def test_foreign_and_tampered_tokens_are_refused_without_revealing_the_order(place):
    order_a = place([(make_offer().pk, 1)], email="a@example.fr")
    order_b = place([(make_offer().pk, 1)], email="b@example.fr")
    token_b = order_access_token(order_b)
    token_a = order_access_token(order_a)
    tampered = token_a[:-1] + ("A" if token_a[-1] != "A" else "B")
    for token in (token_b, tampered, "", "not:a:token"):
        response = Client().get(f"/commandes/{order_a.public_id}/?t={token}")
        _refused(response, order_a)
        assert "pas valide" in response.content.decode()
    # An order that does not exist answers exactly like one that does.
    unknown = Client().get(f"/commandes/{uuid.uuid4()}/?t={token_b}")
    foreign = Client().get(f"/commandes/{order_a.public_id}/?t={token_b}")
    assert unknown.status_code == foreign.status_code
    assert _without_hidden_inputs(unknown) == _without_hidden_inputs(foreign)


def test_logged_in_customer_never_opens_anothers_order_with_a_token(place):
    User = get_user_model()
    alice = User.objects.create_user("alice", "alice@example.fr", "pw-alice-123")
    bob = User.objects.create_user("bob", "bob@example.fr", "pw-bob-123")
    bobs = place([(make_offer().pk, 1)], user=bob, email="bob@example.fr")
    guest = place([(make_offer().pk, 1)], email="guest@example.fr")
    client = Client()
    client.force_login(alice)
    # A guest order's token does not open bob's order…
    _refused(client.get(f"/commandes/{bobs.public_id}/?t={order_access_token(guest)}"), bobs)
    # …and even a genuine signature over bob's id opens nothing: tokens open guest orders only.
    response = client.get(f"/commandes/{bobs.public_id}/?t={order_access_token(bobs)}")
    assert response.status_code == 404
    assert bobs.number not in response.content.decode()


def test_customer_order_link_carries_no_token(place, django_capture_on_commit_callbacks):
    User = get_user_model()
    marie = User.objects.create_user("marie", "marie@example.fr", "pw-marie-123")
    order = _placed(place, django_capture_on_commit_callbacks, user=marie, email=marie.email)
    url = _link(mail.outbox[-1])
    assert url == f"https://culture.localhost/commandes/{order.public_id}/"
    assert Client().get(_path(url)).status_code == 404
    client = Client()
    client.force_login(marie)
    assert client.get(_path(url)).status_code == 200


def test_paid_status_and_seller_emails_link_absolutely(place, django_capture_on_commit_callbacks):
    seller = make_seller(email="vendeur@example.fr")
    order = place([(make_offer(seller=seller).pk, 1)])
    with django_capture_on_commit_callbacks(execute=True):
        payment = payment_start(order=order, method="transfer", return_url="/").payment
        payment_transfer_mark_received(payment=payment)
        seller_order = seller_order_accept(seller_order=order.seller_orders.get())
        seller_order_ship(seller_order=seller_order, carrier="Colissimo", tracking_number="6A1")
    to_buyer = [m for m in mail.outbox if m.to == ["client@example.fr"]]
    to_seller = [m for m in mail.outbox if m.to == ["vendeur@example.fr"]]
    assert len(to_buyer) >= 2
    for message in to_buyer:
        assert _link(message).startswith(
            f"https://culture.localhost/commandes/{order.public_id}/?t="
        )
    assert f"https://localhost/vendeur/commandes/{seller_order.pk}/" in to_seller[0].body
    assert Order.objects.get(pk=order.pk).status == "paid"


def test_email_helpers_build_links_only_through_the_one_helper():
    # The templates print the URL they are given; none builds a path of its own.
    for template in (Path(emails.__file__).parent / "templates/orders/email").glob("*.txt"):
        text = template.read_text()
        assert "get_absolute_url" not in text and "{% url" not in text, template.name

"""Accounts through HTTP: register, login (rotation, cart merge, throttling), reset, addresses."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from galerie import settings as project_settings
from galerie.accounts.models import Address
from galerie.cart.models import Cart
from galerie.storefronts.models import StorefrontHost
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront

pytestmark = pytest.mark.django_db
HOST = "culture.localhost"


@pytest.fixture
def storefront():
    return make_storefront("culture", categories=[make_category("Livres")])


@pytest.fixture
def client():
    return Client(HTTP_HOST=HOST)


@pytest.fixture
def customer():
    return User.objects.create_user("marie@example.fr", "marie@example.fr", "Tr3s-s3cret!")


def _register(client, email, password="Pomme-Verte-42"):  # noqa: S107
    return client.post(
        "/compte/inscription/", {"email": email, "password1": password, "password2": password}
    )


def test_register_then_activate_by_email_logs_in_with_email_as_login(
    client, storefront, django_capture_on_commit_callbacks, settings
):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # the suite's is MD5
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, "Jean@Example.FR")

    assert response.status_code == 200
    assert "Vérifiez votre boîte e-mail" in response.content.decode()
    user = User.objects.get()
    assert (user.username, user.email, user.is_active) == (
        "jean@example.fr",
        "jean@example.fr",
        False,
    )
    assert user.password.startswith("argon2")
    assert client.get("/compte/").status_code == 302  # not logged in yet
    (message,) = mail.outbox
    link = re.search(r"http://culture\.localhost(/compte/activer/[^\s]+)", message.body)[1]
    # A mail scanner following the link (GET) activates nothing.
    assert client.get(link).status_code == 200
    user.refresh_from_db()
    assert not user.is_active

    assert client.post(link).status_code == 302

    user.refresh_from_db()
    assert user.is_active
    assert client.get("/compte/").status_code == 200
    # The link served once.
    assert Client(HTTP_HOST=HOST).post(link).status_code == 400


def test_register_refuses_weak_password(client, storefront):
    weak = client.post(
        "/compte/inscription/",
        {"email": "x@example.fr", "password1": "123", "password2": "123"},
    )
    assert weak.status_code == 400
    assert "trop court" in weak.content.decode()
    assert not User.objects.exists()


def test_register_does_not_reveal_an_existing_account(
    client, storefront, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = _register(Client(HTTP_HOST=HOST), "nouveau@example.fr")
        existing = _register(client, "MARIE@example.fr", password="Autre-Mot-77")

    assert existing.status_code == new.status_code == 200
    same_page = new.content.decode().replace("nouveau@example.fr", "marie@example.fr")

    # Only the per-response secrets may differ: the CSRF token and the CSP nonce.
    def without_secrets(html):
        return re.sub(r'(value|nonce)="[^"]+"', "", html)

    assert without_secrets(existing.content.decode()) == without_secrets(same_page)
    assert User.objects.filter(username="marie@example.fr").count() == 1
    customer.refresh_from_db()
    assert customer.check_password("Tr3s-s3cret!")  # untouched
    # The owner learns of it by e-mail, with the way back in.
    to_marie = [m for m in mail.outbox if m.to == ["marie@example.fr"]]
    assert len(to_marie) == 1 and "Vous avez déjà un compte" in to_marie[0].subject
    assert "/compte/mot-de-passe/" in to_marie[0].body


def test_login_rotates_session_and_merges_guest_cart(client, storefront, customer):
    offer = make_offer(make_product(category=storefront.categories.get()), stock=4)
    client.post("/panier/ajouter/", {"offer_id": offer.pk, "quantity": 2})
    guest_session = client.session.session_key

    response = client.post(
        "/compte/connexion/", {"email": "marie@example.fr", "password": "Tr3s-s3cret!"}
    )

    assert response.status_code == 302
    assert client.session.session_key != guest_session
    cart = Cart.objects.get(user=customer, storefront=storefront)
    assert list(cart.lines.values_list("offer_id", "quantity")) == [(offer.pk, 2)]


def test_login_wrong_password_message(client, storefront, customer):
    response = client.post("/compte/connexion/", {"email": "marie@example.fr", "password": "non"})
    assert response.status_code == 400
    assert "E-mail ou mot de passe incorrect." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_rate_limited_after_five_failures_even_with_right_password(
    client, storefront, customer
):
    for _ in range(5):
        client.post("/compte/connexion/", {"email": "marie@example.fr", "password": "non"})

    response = client.post(
        "/compte/connexion/", {"email": "marie@example.fr", "password": "Tr3s-s3cret!"}
    )

    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another visitor (another IP) is not locked out by the attacker.
    other = Client(HTTP_HOST=HOST, REMOTE_ADDR="10.0.0.9")
    ok = other.post("/compte/connexion/", {"email": "marie@example.fr", "password": "Tr3s-s3cret!"})
    assert ok.status_code == 302


def test_logout_needs_post(client, storefront, customer):
    client.force_login(customer)
    assert client.get("/compte/deconnexion/").status_code == 405
    assert client.post("/compte/deconnexion/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_enforces_csrf(storefront, customer):
    strict = Client(enforce_csrf_checks=True, HTTP_HOST=HOST)
    response = strict.post(
        "/compte/connexion/", {"email": "marie@example.fr", "password": "Tr3s-s3cret!"}
    )
    assert response.status_code == 403
    page = strict.get("/compte/connexion/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = strict.post(
        "/compte/connexion/",
        {"email": "marie@example.fr", "password": "Tr3s-s3cret!", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_password_reset_by_email_in_french(client, storefront, customer):
    response = client.post("/compte/mot-de-passe/", {"email": "marie@example.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Choisissez un nouveau mot de passe" in body
    assert "sur Culture" in mail.outbox[0].subject
    link = re.search(r"https://culture\.localhost(/compte/mot-de-passe/[^\s]+)", body)[1]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nouveau-Mot-99", "new_password2": "Nouveau-Mot-99"},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password("Nouveau-Mot-99")


def test_account_without_password_chooses_one_through_password_reset(client, storefront):
    # Given an account taken in with a storefront: it has no usable password (carveout)
    taken_in = User.objects.create_user("Jeanne@Example.fr", "Jeanne@Example.fr", None)
    User.objects.create_user("off@example.fr", "off@example.fr", None, is_active=False)
    assert not taken_in.has_usable_password()

    # When its customer asks for a new password, with the e-mail in another case
    response = client.post("/compte/mot-de-passe/", {"email": "jeanne@example.FR"})
    client.post("/compte/mot-de-passe/", {"email": "off@example.fr"})

    # Then the link arrives (a disabled account still gets none) and sets a password
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["Jeanne@example.fr"]]
    link = re.search(
        r"https://culture\.localhost(/compte/mot-de-passe/[^\s]+)", mail.outbox[0].body
    )[1]
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nouveau-Mot-99", "new_password2": "Nouveau-Mot-99"},
    )
    taken_in.refresh_from_db()
    assert taken_in.check_password("Nouveau-Mot-99")


def test_password_reset_link_is_on_the_storefront_primary_host_not_the_request_host(
    storefront, customer, settings
):
    StorefrontHost.objects.create(
        storefront=storefront, hostname="alias.localhost", is_primary=False
    )
    settings.GALERIE_PUBLIC_SCHEME, settings.GALERIE_PUBLIC_PORT = "http", "8000"
    response = Client(HTTP_HOST="alias.localhost:9999").post(
        "/compte/mot-de-passe/", {"email": "marie@example.fr"}
    )
    assert response.status_code == 302
    link = re.search(r"\S+://\S+/compte/mot-de-passe/\S+", mail.outbox[0].body)[0]
    assert link.startswith("http://culture.localhost:8000/compte/mot-de-passe/")


def test_address_book_crud_and_french_postcode(client, storefront, customer):
    client.force_login(customer)
    data = {
        "name": "Marie Curie",
        "line1": "1 rue Pierre et Marie Curie",
        "postcode": "750",
        "city": "Paris",
        "country": "FR",
    }
    bad = client.post("/compte/adresses/nouvelle/", data)
    assert bad.status_code == 400
    assert "5 chiffres" in bad.content.decode()
    assert not Address.objects.exists()

    good = client.post("/compte/adresses/nouvelle/", {**data, "postcode": "75005"})
    assert good.status_code == 302
    address = Address.objects.get()
    assert address.is_default and address.postcode == "75005"
    page = client.get("/compte/adresses/")
    assert "Marie Curie" in page.content.decode()

    client.post(f"/compte/adresses/{address.pk}/", {**data, "postcode": "69001", "city": "Lyon"})
    address.refresh_from_db()
    assert address.city == "LYON"  # one address rule: a French city in capitals, as on orders
    client.post(f"/compte/adresses/{address.pk}/supprimer/")
    assert not Address.objects.exists()


def test_belgian_postcode_and_unknown_country(client, storefront, customer):
    client.force_login(customer)
    data = {"name": "A", "line1": "Rue Neuve 1", "postcode": "1000", "city": "Bruxelles"}
    assert client.post("/compte/adresses/nouvelle/", {**data, "country": "BE"}).status_code == 302
    response = client.post("/compte/adresses/nouvelle/", {**data, "country": "ZZ"})
    assert response.status_code == 400
    assert Address.objects.count() == 1


def test_foreign_address_is_404(client, storefront, customer):
    other = User.objects.create_user("o@example.fr", "o@example.fr", "x")
    theirs = Address.objects.create(user=other, name="O", line1="x", postcode="75001", city="Paris")
    client.force_login(customer)
    assert client.get(f"/compte/adresses/{theirs.pk}/").status_code == 404
    assert client.post(f"/compte/adresses/{theirs.pk}/supprimer/").status_code == 404
    assert Address.objects.filter(pk=theirs.pk).exists()


def test_account_pages_need_login(client, storefront):
    response = client.get("/compte/adresses/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]

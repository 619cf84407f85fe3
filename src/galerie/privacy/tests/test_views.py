"""The personal-data pages through HTTP: own data only, POST + CSRF, throttled, password check."""

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import User
from django.test import Client

from galerie.accounts.models import Address
from galerie.accounts.services import address_save
from galerie.privacy.models import Erasure
from galerie.privacy.tests.conftest import ADDRESS, PASSWORD

pytestmark = pytest.mark.django_db


def _logged_in(user, **kw) -> Client:
    client = Client(**kw)
    client.force_login(user)
    return client


def test_account_page_links_to_the_personal_data_page(customer):
    response = _logged_in(customer).get("/compte/")
    assert 'href="/compte/donnees/"' in response.content.decode()
    page = _logged_in(customer).get("/compte/donnees/")
    assert page.status_code == 200 and "Télécharger mes données" in page.content.decode()


@pytest.mark.parametrize("url", ["/compte/donnees/", "/compte/donnees/supprimer/"])
def test_anonymous_visitors_are_sent_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")


def test_anonymous_export_post_is_sent_to_the_login(client):
    response = client.post("/compte/donnees/telecharger/", {"format": "json"})
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")


def test_json_export_holds_own_orders_only(customer, other, place):
    mine = place(customer, title="Mon livre")
    theirs = place(other, title="Leur livre")
    response = _logged_in(customer).post("/compte/donnees/telecharger/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert [o["order"] for o in data["sections"]["orders"]] == [mine.number]
    assert theirs.number not in response.content.decode()
    assert "Leur livre" not in response.content.decode()


def test_csv_export_is_a_zip_of_one_csv_per_section(customer, place):
    order = place(customer, title="Mon livre")
    response = _logged_in(customer).post("/compte/donnees/telecharger/", {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"account.csv", "orders.csv", "order_lines.csv", "README.txt"} <= set(archive.namelist())
    orders = archive.read("orders.csv").decode("utf-8-sig").splitlines()
    assert orders[0].startswith("order,created_at") and orders[1].startswith(order.number)
    assert "Mon livre" in archive.read("order_lines.csv").decode("utf-8-sig")


def test_export_is_post_only_and_needs_the_csrf_token(customer):
    assert _logged_in(customer).get("/compte/donnees/telecharger/").status_code == 405
    forged = _logged_in(customer, enforce_csrf_checks=True).post(
        "/compte/donnees/telecharger/", {"format": "json"}
    )
    assert forged.status_code == 403


def test_an_unknown_format_is_refused_with_a_message(customer):
    response = _logged_in(customer).post("/compte/donnees/telecharger/", {"format": "xml"})
    assert response.status_code == 400
    assert "xml" in response.content.decode()  # Django's "Select a valid choice. xml is not…"


def test_export_is_throttled(customer):
    client = _logged_in(customer)
    statuses = [
        client.post("/compte/donnees/telecharger/", {"format": "json"}).status_code
        for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]


def test_erase_with_the_right_password_anonymises_and_logs_out(customer):
    address_save(user=customer, data=dict(ADDRESS))
    client = _logged_in(customer)
    response = client.post("/compte/donnees/supprimer/", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert Erasure.objects.filter(user=customer).exists()
    assert not Address.objects.filter(user=customer).exists()
    assert client.get("/compte/").status_code == 302  # no session any more


def test_erase_with_a_wrong_password_changes_nothing(customer):
    response = _logged_in(customer).post("/compte/donnees/supprimer/", {"password": "wrong"})
    assert response.status_code == 400
    assert "Mot de passe incorrect" in response.content.decode()
    assert User.objects.get(pk=customer.pk).is_active
    assert not Erasure.objects.exists()


def test_erase_needs_the_csrf_token(customer):
    client = _logged_in(customer, enforce_csrf_checks=True)
    assert client.post("/compte/donnees/supprimer/", {"password": PASSWORD}).status_code == 403
    assert not Erasure.objects.exists()


def test_erase_page_explains_why_an_open_order_blocks_it(customer, place):
    order = place(customer)  # awaiting payment
    client = _logged_in(customer)
    page = client.get("/compte/donnees/supprimer/")
    assert order.number in page.content.decode()
    response = client.post("/compte/donnees/supprimer/", {"password": PASSWORD})
    assert response.status_code == 409
    assert User.objects.get(pk=customer.pk).is_active and not Erasure.objects.exists()


def test_erase_password_guessing_is_throttled_like_logins(customer):
    client = _logged_in(customer)
    statuses = [
        client.post("/compte/donnees/supprimer/", {"password": f"guess-{n}"}).status_code
        for n in range(6)
    ]
    assert statuses[-1] == 429 and set(statuses[:5]) == {400}
    assert client.post("/compte/donnees/supprimer/", {"password": PASSWORD}).status_code == 429
    assert User.objects.get(pk=customer.pk).is_active


def test_cookie_page_lists_the_categories_and_is_the_same_for_everyone(client, customer):
    anonymous = client.get("/cookies/")
    assert anonymous.status_code == 200
    body = anonymous.content.decode()
    assert "Mesure d'audience" in body and "sessionid" in body
    assert 'id="cookie-preferences"' in body


def test_erasure_ends_the_customers_other_sessions(customer):
    # Given: the customer logged in on two devices
    phone, laptop = _logged_in(customer), _logged_in(customer)
    assert laptop.get("/compte/").status_code == 200

    # When: erased from the phone
    phone.post("/compte/donnees/supprimer/", {"password": PASSWORD})

    # Then: the laptop's session no longer opens the account
    response = laptop.get("/compte/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")


def _support():
    from django.contrib.auth.models import Group

    from galerie.core.roles import roles_sync

    roles_sync()
    staff = User.objects.create_user("support", "support@example.fr", is_staff=True)
    staff.groups.add(Group.objects.get(name="Service client"))
    return _logged_in(staff)


def test_admin_erasure_asks_for_confirmation_first(customer):
    client = _support()
    data = {"action": "erase_customers", "_selected_action": [customer.pk]}
    page = client.post("/admin/privacy/customer/", data)
    assert page.status_code == 200 and "camille@example.fr" in page.content.decode()
    assert not Erasure.objects.exists()

    client.post("/admin/privacy/customer/", {**data, "apply": "1"})
    erasure = Erasure.objects.get()
    assert (erasure.user_id, erasure.reason, erasure.actor.username) == (
        customer.pk,
        "support",
        "support",
    )


def test_admin_erasure_of_a_customer_with_an_open_order_says_why(customer, place):
    order = place(customer)
    response = _support().post(
        "/admin/privacy/customer/",
        {"action": "erase_customers", "_selected_action": [customer.pk], "apply": "1"},
        follow=True,
    )
    assert order.number in response.content.decode()
    assert not Erasure.objects.exists() and User.objects.get(pk=customer.pk).is_active

"""The back office answers on the operator's hosts only (GALERIE_ADMIN_HOSTS), never on a
storefront's host: there /admin/ is a 404, even for a logged-in superuser."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from galerie.testing.factories import make_storefront

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("boss", "boss@example.fr", "x")


def test_admin_answers_on_the_mall_host_by_default(superuser):
    client = Client(HTTP_HOST="localhost")
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


def test_admin_is_404_on_a_storefront_host(superuser):
    make_storefront("culture")
    client = Client(HTTP_HOST="culture.localhost")
    assert client.get("/").status_code == 200  # the storefront itself answers
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404
    response = client.post("/admin/login/", {"username": "boss", "password": "x"})
    assert response.status_code == 404 and "_auth_user_id" not in client.session
    client.force_login(superuser)
    assert client.get("/admin/catalog/product/").status_code == 404


def test_admin_hosts_are_configurable(settings, superuser):
    settings.ALLOWED_HOSTS = ["backoffice.example.com", "localhost"]
    settings.GALERIE_ADMIN_HOSTS = {"backoffice.example.com"}
    client = Client(HTTP_HOST="backoffice.example.com")
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200
    other = Client(HTTP_HOST="localhost")
    other.force_login(superuser)
    assert other.get("/admin/").status_code == 404

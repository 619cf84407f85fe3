"""Request bodies larger than the view accepts: 413 before the body is read, on pages and API."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from galerie.cart.models import CartLine
from galerie.testing.factories import make_category, make_storefront

pytestmark = pytest.mark.django_db


def test_a_large_multipart_post_to_any_page_is_refused_unread(monkeypatch):
    from django.http import multipartparser

    def parse(*args, **kwargs):
        raise AssertionError("the body must not be parsed")

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", parse)
    junk = SimpleUploadedFile("junk.bin", b"x" * (settings.GALERIE_MAX_REQUEST_BYTES + 1))

    response = Client().post(
        "/compte/connexion/", {"email": "a@example.fr", "password": "x", "file": junk}
    )

    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_a_large_api_body_is_a_json_413():
    make_storefront("culture", categories=[make_category("Livres")])
    body = '{"offer_id": 1, "pad": "' + "x" * settings.GALERIE_MAX_REQUEST_BYTES + '"}'

    response = Client(HTTP_HOST="culture.localhost").post(
        "/api/cart/lines", body, content_type="application/json"
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert not CartLine.objects.exists()

import pytest
from django.contrib.auth import get_user_model

from galerie.sellers.models import Seller
from galerie.testing.factories import make_storefront

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Disques Bleus",
    "legal_name": "Disques Bleus SAS",
    "is_trader": "1",
    "legal_form": "sas",
    "siren": "732829320",
    "vat_number": "FR44732829320",
    "email": "contact@bleus.example",
    "phone": "0123456789",
    "address": "3 rue du Disque, 69001 Lyon",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
    "identity_document_ref": "Passeport 12AB34567",
    "certifies_compliance": "on",
}


@pytest.fixture
def shopper(client):
    make_storefront("culture")
    user = get_user_model().objects.create_user("vend", "vend@example.com", "pw-123456789")
    client.force_login(user)
    return user


def test_application_needs_an_account(client):
    make_storefront("culture")
    response = client.get("/vendeur/candidature/", HTTP_HOST="culture.localhost")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_application_is_recorded_and_the_user_becomes_owner(client, shopper):
    response = client.post("/vendeur/candidature/", FORM, HTTP_HOST="culture.localhost")
    assert response.status_code == 200 and "Candidature reçue" in response.content.decode()
    seller = Seller.objects.get()
    assert seller.status == "applied" and seller.members.get().user == shopper


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siren", "123456789", "SIREN"),
        ("vat_number", "FR12345", "TVA intracommunautaire"),
        ("iban", "FR7630006000011234567890188", "IBAN"),
    ],
)
def test_bad_identifiers_are_form_errors_on_their_field(client, shopper, field, value, message):
    response = client.post(
        "/vendeur/candidature/", {**FORM, field: value}, HTTP_HOST="culture.localhost"
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Seller.objects.exists()

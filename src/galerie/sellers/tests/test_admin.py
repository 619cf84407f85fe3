"""The back office checks seller identifiers with the onboarding's validators, and offer and stock
edits in the admin go through the offer and inventory services."""

import pytest

from galerie.sellers.models import Seller
from galerie.testing.factories import make_seller

pytestmark = pytest.mark.django_db

VALID = {
    "siren": "732 829 320",
    "vat_number": "FR44732829320",
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "bic": "agrifrpp",
}


def _seller_post(seller: Seller | None = None, **identifiers) -> dict:
    data = {
        "name": seller.name if seller else "Librairie du Port",
        "slug": seller.slug if seller else "librairie-du-port",
        "legal_name": "Librairie du Port SARL",
        "legal_form": "sarl",
        "is_trader": "on",
        "address": "1 quai de la Fosse, 44000 Nantes",
        "email": "contact@librairie-du-port.fr",
        "phone": "0240000000",
        "identity_document_ref": "",
        **{name: "" for name in VALID},
        **identifiers,
    }
    for prefix in ("members", "status_events"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("iban", "FR76 3000 6000 0112 3456 7890 188", "clé de contrôle"),
        ("siren", "732829321", "SIREN"),
        ("vat_number", "FR40303265045", "ne correspond pas au SIREN"),
        ("bic", "XX", "BIC"),
    ],
)
def test_admin_refuses_a_bad_identifier_and_changes_nothing(admin_client, field, value, message):
    seller = make_seller(iban="FR7630006000011234567890189", bic="AGRIFRPP", siren="732829320")
    before = Seller.objects.values().get(pk=seller.pk)

    response = admin_client.post(
        f"/admin/sellers/seller/{seller.pk}/change/",
        _seller_post(seller, **(VALID | {field: value})),
    )

    assert response.status_code == 200  # the form again, with its error
    assert message in str(response.context["adminform"].form.errors[field])
    assert Seller.objects.values().get(pk=seller.pk) == before


def test_admin_refuses_an_invalid_iban_on_a_new_seller(admin_client):
    response = admin_client.post(
        "/admin/sellers/seller/add/", _seller_post(**(VALID | {"iban": "FR76 3000"}))
    )

    assert response.status_code == 200
    assert "IBAN" in str(response.context["adminform"].form.errors["iban"])
    assert not Seller.objects.filter(slug="librairie-du-port").exists()


def test_admin_saves_valid_identifiers_normalised(admin_client):
    response = admin_client.post("/admin/sellers/seller/add/", _seller_post(**VALID))

    assert response.status_code == 302, response.context["adminform"].form.errors
    seller = Seller.objects.get(slug="librairie-du-port")
    assert (seller.siren, seller.vat_number, seller.iban, seller.bic) == (
        "732829320",
        "FR44732829320",
        "FR7630006000011234567890189",
        "AGRIFRPP",
    )

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from galerie.sellers.models import Seller, SellerStatus
from galerie.sellers.onboarding import (
    SellerApplicationError,
    SellerStatusError,
    seller_apply,
    seller_close,
    seller_reject,
    seller_suspend,
    seller_verify,
    sellers_erase_expired,
)
from galerie.sellers.selectors import offers_purchasable
from galerie.testing.factories import make_offer, make_product, make_seller

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Librairie des Quais",
    "legal_name": "Librairie des Quais SARL",
    "legal_form": "sarl",
    "is_trader": True,
    "email": "contact@quais.example",
    "phone": "+33 1 23 45 67 89",
    "address": "12 quai des Grands-Augustins\n75006 Paris",
    "siren": "732 829 320",
    "vat_number": "FR44732829320",
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "bic": "AGRIFRPP",
    "identity_document_ref": "CNI 123456789",
    "certifies_compliance": True,
}


def test_valid_application_is_recorded_as_applied_with_clean_identifiers():
    user = get_user_model().objects.create_user("quais", "q@example.com", "pw-123456789")
    seller = seller_apply(**GOOD, user=user)
    assert seller.status == SellerStatus.APPLIED
    assert (seller.siren, seller.vat_number, seller.iban) == (
        "732829320",
        "FR44732829320",
        "FR7630006000011234567890189",
    )
    assert seller.compliance_certified_at is not None
    assert seller.members.get().user == user and seller.members.get().role == "owner"
    assert seller.status_events.get().to_status == "applied"


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("siren", "732829321", "SIREN"),
        ("siren", "", "doit indiquer son SIREN"),
        ("vat_number", "FR00732829320", "TVA intracommunautaire"),
        ("vat_number", "FR40303265045", "ne correspond pas au SIREN"),
        ("iban", "FR76 3000 6000 0112 3456 7890 188", "clé de contrôle"),
        ("iban", "FR76 3000", "longueur"),
        ("bic", "XX", "BIC"),
        ("certifies_compliance", False, "certifier"),
        ("legal_form", "individual", "particulier"),
        ("email", " ", "obligatoire"),
    ],
)
def test_bad_application_names_the_field_and_the_reason_and_writes_nothing(field, value, fragment):
    with pytest.raises(SellerApplicationError) as exc:
        seller_apply(**{**GOOD, field: value})
    assert fragment.lower() in exc.value.errors[field].lower()
    assert not Seller.objects.exists()


def test_all_faults_are_reported_at_once():
    with pytest.raises(SellerApplicationError) as exc:
        seller_apply(**{**GOOD, "siren": "1", "iban": "FR00", "bic": "?"})
    assert {"siren", "iban", "bic"} <= set(exc.value.errors)


def test_private_individual_needs_no_siren():
    seller = seller_apply(
        **{**GOOD, "is_trader": False, "legal_form": "individual", "siren": "", "vat_number": ""}
    )
    assert not seller.is_trader and seller.siren == ""


def test_offers_appear_only_once_verified_and_vanish_on_suspension():
    seller = seller_apply(**GOOD)
    product = make_product()
    offer = make_offer(product, seller=seller, price="15.00")
    product.refresh_from_db()
    assert offer not in offers_purchasable() and not product.in_stock

    seller_verify(seller=seller, actor=None)
    product.refresh_from_db()
    assert offer in offers_purchasable() and product.best_price == offer.price

    seller_suspend(seller=seller, actor=None, reason="Produits contrefaits signalés")
    product.refresh_from_db()
    assert offer not in offers_purchasable() and not product.in_stock
    reasons = list(seller.status_events.values_list("to_status", "reason"))
    assert reasons[0] == ("suspended", "Produits contrefaits signalés")


def test_forbidden_transitions_and_missing_reasons_are_refused():
    seller = seller_apply(**GOOD)
    with pytest.raises(SellerStatusError, match="Impossible"):
        seller_suspend(seller=seller, actor=None, reason="x")
    with pytest.raises(SellerStatusError, match="motif"):
        seller_reject(seller=seller, actor=None, reason=" ")
    seller.refresh_from_db()
    assert seller.status == SellerStatus.APPLIED


def test_operator_cannot_be_suspended():
    operator = make_seller("Galerie", is_operator=True)
    with pytest.raises(SellerStatusError):
        seller_suspend(seller=operator, actor=None, reason="test")


def test_personal_data_is_erased_six_months_after_the_relationship_ends():
    seller = seller_verify(seller=seller_apply(**GOOD), actor=None)
    seller_close(seller=seller, actor=None, reason="Fin du contrat")
    ended = Seller.objects.get(pk=seller.pk).relationship_ended_at

    assert sellers_erase_expired(now=ended + timedelta(days=180)) == 0
    assert sellers_erase_expired(now=ended + timedelta(days=185)) == 1
    erased = Seller.objects.get(pk=seller.pk)
    assert erased.iban == erased.siren == erased.email == erased.address == ""
    assert "Quais" not in erased.name and erased.anonymized_at is not None
    assert not erased.members.exists()
    assert sellers_erase_expired(now=timezone.now() + timedelta(days=400)) == 0

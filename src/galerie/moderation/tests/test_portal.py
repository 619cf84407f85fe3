"""The seller's decisions in the portal: its own listed with their statement of reasons, a
complaint lodged once through the form, bad input refused, another seller's decision not found."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from galerie.core import clock
from galerie.moderation.models import Complaint, Decision
from galerie.moderation.services import notice_decide
from galerie.sellers.models import SellerMember, SellerRole
from galerie.testing.factories import make_notice, make_offer, make_seller

pytestmark = pytest.mark.django_db

STATEMENT = {
    "facts": "Le titulaire de la marque a prouvé la contrefaçon.",
    "ground_kind": "legal",
    "ground": "CPI, art. L716-4",
    "automated": True,
    "actor": None,
}


def _owner(seller, name):
    user = get_user_model().objects.create_user(name, f"{name}@example.fr", "pw-123456789")
    SellerMember.objects.create(seller=seller, user=user, role=SellerRole.OWNER)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def decided():
    seller = make_seller("Alpha", email="alpha@example.fr")
    offer = make_offer(seller=seller)
    (decision,) = notice_decide(notice=make_notice(offer=offer), kind="withdraw_offer", **STATEMENT)
    return seller, decision


def test_the_seller_sees_its_decision_and_its_statement_of_reasons(decided):
    seller, decision = decided
    client = _owner(seller, "alpha")

    listing = client.get("/vendeur/moderation/").content.decode()
    page = client.get(f"/vendeur/moderation/{decision.pk}/").content.decode()

    assert decision.notice.reference in listing
    for part in (STATEMENT["facts"], STATEMENT["ground"], "Déposer une réclamation"):
        assert part in page


def test_another_sellers_decision_is_not_found_nor_listed(decided):
    _seller, decision = decided
    client = _owner(make_seller("Beta"), "beta")

    assert decision.notice.reference not in client.get("/vendeur/moderation/").content.decode()
    assert client.get(f"/vendeur/moderation/{decision.pk}/").status_code == 404
    assert client.post(f"/vendeur/moderation/{decision.pk}/", {"text": "x"}).status_code == 404
    assert not Complaint.objects.exists()


def test_a_complaint_is_lodged_once(decided):
    seller, decision = decided
    client = _owner(seller, "alpha")
    url = f"/vendeur/moderation/{decision.pk}/"

    response = client.post(url, {"text": "Facture du fabricant à l'appui."})
    again = client.post(url, {"text": "Encore."})

    assert response.status_code == 302
    assert Complaint.objects.get().text == "Facture du fabricant à l'appui."
    assert again.status_code == 400 and "déjà été déposée" in again.content.decode()
    assert "en cours d&#x27;examen" in client.get(url).content.decode()


@pytest.mark.parametrize(("text", "message"), [("", "obligatoire"), ("x" * 3001, "3000")])
def test_a_bad_complaint_is_shown_on_the_form(decided, text, message):
    seller, decision = decided

    response = _owner(seller, "alpha").post(f"/vendeur/moderation/{decision.pk}/", {"text": text})

    assert response.status_code == 400 and message in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_complaint_after_six_months_is_refused(decided):
    seller, decision = decided
    Decision.objects.filter(pk=decision.pk).update(created_at=clock.now() - dt.timedelta(days=190))
    client = _owner(seller, "alpha")
    url = f"/vendeur/moderation/{decision.pk}/"

    assert "Déposer une réclamation" not in client.get(url).content.decode()
    response = client.post(url, {"text": "Trop tard ?"})

    assert response.status_code == 400 and "6 mois" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_seller_cannot_put_a_withdrawn_offer_back_on_sale_until_the_decision_is_reversed(
    decided,
):
    from galerie.moderation.services import complaint_resolve, complaint_submit
    from galerie.sellers.models import Offer

    seller, decision = decided
    offer = decision.notice.offer
    client = _owner(seller, "alpha")
    form = {
        "price": "10.00",
        "stock": "5",
        "condition": "new",
        "delivery_price": "0",
        "lead_time_days": "2",
        "sku": "",
        "is_active": "on",
    }

    response = client.post(f"/vendeur/offres/{offer.pk}/", form)

    assert response.status_code == 200
    assert "retirée à la suite d&#x27;un signalement" in response.content.decode()
    assert not Offer.objects.get(pk=offer.pk).is_active

    complaint = complaint_submit(decision=decision, seller=seller, text="Erreur.", user=None)
    complaint_resolve(complaint=complaint, reverse=True, reason="Erreur admise.", actor=None)
    client.post(
        f"/vendeur/offres/{offer.pk}/", {**form, "is_active": ""}
    )  # taken off by the seller
    client.post(f"/vendeur/offres/{offer.pk}/", form)

    assert Offer.objects.get(pk=offer.pk).is_active

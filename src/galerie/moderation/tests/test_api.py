"""The seller API's moderation decisions: the seller's own with their statement of reasons,
another seller's a 404, a complaint lodged once with stable error codes."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from galerie.moderation.models import Complaint
from galerie.moderation.services import notice_decide
from galerie.portal.auth import api_token_create
from galerie.sellers.models import Offer, SellerMember, SellerRole
from galerie.testing.factories import make_notice, make_offer, make_seller

pytestmark = pytest.mark.django_db

STATEMENT = {"facts": "Contrefaçon établie.", "ground_kind": "legal", "ground": "CPI"}


def _api(seller, name):
    user = get_user_model().objects.create_user(name, f"{name}@example.fr", "pw-123456789")
    member = SellerMember.objects.create(seller=seller, user=user, role=SellerRole.OWNER)
    secret = api_token_create(member=member, name="ERP").secret
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def decision():
    offer = make_offer(seller=make_seller("Alpha"))
    (decision,) = notice_decide(
        notice=make_notice(offer=offer),
        kind="withdraw_offer",
        automated=False,
        actor=None,
        **STATEMENT,
    )
    return decision


def _post(client, decision_id, body):
    return client.post(
        f"/api/seller/decisions/{decision_id}/complaint",
        json.dumps(body),
        content_type="application/json",
    )


def test_the_seller_reads_its_decisions_with_their_statement_of_reasons(decision):
    client = _api(decision.seller, "alpha")

    listing = client.get("/api/seller/decisions").json()
    one = client.get(f"/api/seller/decisions/{decision.pk}").json()

    assert [d["id"] for d in listing] == [decision.pk]
    assert one["facts"] == STATEMENT["facts"] and one["ground"] == "CPI"
    assert one["kind"] == "withdraw_offer" and one["complaint_open"] is True
    assert one["complaint"] is None


def test_another_sellers_decision_is_not_found(decision):
    client = _api(make_seller("Beta"), "beta")

    assert client.get("/api/seller/decisions").json() == []
    assert client.get(f"/api/seller/decisions/{decision.pk}").status_code == 404
    assert _post(client, decision.pk, {"text": "x"}).status_code == 404
    assert not Complaint.objects.exists()


def test_a_complaint_is_lodged_once_through_the_api(decision):
    client = _api(decision.seller, "alpha")

    first = _post(client, decision.pk, {"text": "Facture jointe."})
    second = _post(client, decision.pk, {"text": "Encore."})
    too_long = _post(client, decision.pk, {"text": "x" * 3001})

    assert first.status_code == 201
    assert first.json()["complaint"]["status"] == "open"
    assert (second.status_code, second.json()["code"]) == (400, "complaint_exists")
    assert too_long.status_code == 422
    assert Complaint.objects.get().text == "Facture jointe."


def test_a_withdrawn_offer_is_not_put_back_on_sale_through_the_api(decision):
    client = _api(decision.seller, "alpha")
    offer_id = decision.notice.offer_id

    response = client.patch(
        f"/api/seller/offers/{offer_id}",
        json.dumps({"is_active": True}),
        content_type="application/json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "offer_withdrawn_by_moderation")
    assert not Offer.objects.get(pk=offer_id).is_active

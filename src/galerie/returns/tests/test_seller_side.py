"""The seller's side of returns: portal pages and API. Confirming receipt refunds a withdrawal
through the refund services (ledger balanced); another seller's return is a 404 everywhere and
nothing changes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.test import Client

from galerie.core import clock
from galerie.ledger.models import JournalLine
from galerie.payments.models import Refund
from galerie.portal.auth import api_token_create
from galerie.returns.models import ReturnRequest, ReturnStatus
from galerie.returns.services import return_conformity_claim, return_withdrawal_request
from galerie.sellers.models import SellerMember, SellerRole
from galerie.testing.factories import make_delivered_order, make_offer, make_seller

pytestmark = pytest.mark.django_db


class Seller:
    def __init__(self, name):
        self.seller = make_seller(name)
        user = get_user_model().objects.create_user(name.lower(), f"{name.lower()}@example.fr")
        self.member = SellerMember.objects.create(
            seller=self.seller, user=user, role=SellerRole.OWNER
        )
        self.portal = Client()
        self.portal.force_login(user)
        secret = api_token_create(member=self.member, name="ERP").secret
        self.api = Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def alpha():
    return Seller("Alpha")


@pytest.fixture
def beta():
    return Seller("Beta")


def withdrawal_for(seller, *, quantity=1, price="20.00"):
    offer = make_offer(seller=seller.seller, price=price, stock=10)
    order = make_delivered_order(
        [(offer, quantity)], delivered_at=clock.now() - dt.timedelta(days=1)
    )
    return return_withdrawal_request(order=order, line_id=order.lines.get().pk, quantity=quantity)


def claim_for(seller):
    offer = make_offer(seller=seller.seller, price="50.00", stock=10)
    order = make_delivered_order([(offer, 1)], delivered_at=clock.now() - dt.timedelta(days=100))
    return return_conformity_claim(
        order=order, line_id=order.lines.get().pk, quantity=1, reason="Ne charge plus"
    )


def assert_ledger_balanced():
    totals = JournalLine.objects.aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"]


# --- portal -----------------------------------------------------------------------------------


def test_seller_lists_its_returns_and_confirms_receipt_which_refunds(alpha, beta):
    mine = withdrawal_for(alpha, price="20.00")
    theirs = withdrawal_for(beta)

    listing = alpha.portal.get("/vendeur/retours/").content.decode()
    assert mine.order.number in listing and theirs.order.number not in listing
    detail = alpha.portal.get(f"/vendeur/retours/{mine.pk}/")
    assert detail.status_code == 200 and "Confirmer la réception" in detail.content.decode()

    response = alpha.portal.post(f"/vendeur/retours/{mine.pk}/reception/", follow=True)

    assert "le client est remboursé" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == ReturnStatus.REFUNDED and mine.refund.amount >= Decimal("20.00")
    assert_ledger_balanced()


def test_seller_decides_a_conformity_claim_and_the_presumption_is_shown(alpha):
    claim = claim_for(alpha)
    page = alpha.portal.get(f"/vendeur/retours/{claim.pk}/").content.decode()
    assert "Présomption" in page and "s'applique (jusqu'au" in page

    refused = alpha.portal.post(
        f"/vendeur/retours/{claim.pk}/decision/", {"outcome": "refuse", "note": ""}
    )
    assert refused.status_code == 400 and "motif du refus" in refused.content.decode()
    alpha.portal.post(f"/vendeur/retours/{claim.pk}/decision/", {"outcome": "repair"})

    claim.refresh_from_db()
    assert claim.status == ReturnStatus.REPAIRED and not Refund.objects.exists()


def test_another_sellers_return_is_not_found_in_the_portal_and_nothing_changes(alpha, beta):
    theirs = withdrawal_for(beta)

    assert alpha.portal.get(f"/vendeur/retours/{theirs.pk}/").status_code == 404
    assert alpha.portal.post(f"/vendeur/retours/{theirs.pk}/reception/").status_code == 404
    decision = {"outcome": "refund"}
    assert alpha.portal.post(f"/vendeur/retours/{theirs.pk}/decision/", decision).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ReturnStatus.REQUESTED and not Refund.objects.exists()


# --- API --------------------------------------------------------------------------------------


def test_api_lists_the_sellers_returns_and_confirms_receipt(alpha, beta):
    mine = withdrawal_for(alpha, quantity=2, price="15.00")
    withdrawal_for(beta)

    listing = alpha.api.get("/api/seller/returns?status=requested").json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == mine.pk
    assert listing["items"][0]["refund_due_at"] is not None

    response = alpha.api.post(f"/api/seller/returns/{mine.pk}/receive")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "refunded" and Decimal(str(body["refunded"])) >= Decimal("30.00")
    assert_ledger_balanced()
    again = alpha.api.post(f"/api/seller/returns/{mine.pk}/receive")
    assert again.status_code == 409 and again.json()["code"] == "return_invalid_transition"
    assert Refund.objects.count() == 1


def test_api_resolves_a_claim_and_refuses_bad_outcomes_clearly(alpha):
    claim = claim_for(alpha)
    url = f"/api/seller/returns/{claim.pk}/resolve"

    bad = alpha.api.post(url, {"outcome": "burn"}, content_type="application/json")
    no_reason = alpha.api.post(url, {"outcome": "refuse"}, content_type="application/json")
    replaced = alpha.api.post(url, {"outcome": "replace"}, content_type="application/json")

    assert bad.status_code == 422
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    assert replaced.status_code == 200 and replaced.json()["status"] == "replaced"


def test_another_sellers_return_is_not_found_in_the_api_and_nothing_changes(alpha, beta):
    theirs = withdrawal_for(beta)

    assert alpha.api.get(f"/api/seller/returns/{theirs.pk}").status_code == 404
    received = alpha.api.post(f"/api/seller/returns/{theirs.pk}/receive")
    resolved = alpha.api.post(
        f"/api/seller/returns/{theirs.pk}/resolve",
        {"outcome": "refund"},
        content_type="application/json",
    )

    assert received.status_code == resolved.status_code == 404
    assert received.json()["code"] and resolved.json()["message"]
    assert ReturnRequest.objects.get(pk=theirs.pk).status == ReturnStatus.REQUESTED
    assert not Refund.objects.exists()


def test_the_apis_filters_name_every_status_and_kind_of_return():
    from typing import get_args

    from galerie.api.returns import KindFilter, StatusFilter
    from galerie.returns.models import ReturnKind

    assert set(get_args(StatusFilter)) == set(ReturnStatus.values)
    assert set(get_args(KindFilter)) == set(ReturnKind.values)

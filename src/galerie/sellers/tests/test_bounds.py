"""Issue 13: the offer's purchase cost and the commission rules have their range once, in
sellers.limits, on the models (validators and CHECK constraints); the admin and the offer
services read it. A value beyond it is an error naming the field, and nothing changes."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from galerie.sellers.models import CommissionRule, Offer
from galerie.sellers.services import OfferError, offer_publish, offer_update
from galerie.testing.admin import admin_form_data
from galerie.testing.factories import make_offer, make_product, make_seller

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("value", "accepted"), [("1000000.01", False), ("1000000.00", True)])
def test_admin_offer_page_bounds_the_purchase_cost(admin_client, value, accepted):
    offer = make_offer(price="20.00")
    url = f"/admin/sellers/offer/{offer.pk}/change/"

    response = admin_client.post(
        url, admin_form_data(admin_client.get(url)) | {"purchase_cost": value}
    )

    assert (response.status_code == 302) == accepted
    offer.refresh_from_db()
    assert offer.purchase_cost == (Decimal(value) if accepted else None)
    if not accepted:
        assert response.context["adminform"].form.errors["purchase_cost"]


@pytest.mark.parametrize("value", [Decimal("1000000.01"), Decimal("-0.01")])
def test_offer_services_name_the_purchase_cost(value):
    product, seller = make_product(), make_seller()
    offer = make_offer(product, price="20.00")

    with pytest.raises(OfferError) as on_publish:
        offer_publish(seller=seller, product=product, price=Decimal("10"), stock=1,
                      purchase_cost=value)  # fmt: skip
    with pytest.raises(OfferError) as on_update:
        offer_update(offer=offer, purchase_cost=value)

    assert on_publish.value.field == on_update.value.field == "purchase_cost"
    assert list(Offer.objects.values_list("pk", "purchase_cost")) == [(offer.pk, None)]


@pytest.mark.parametrize(
    ("field", "value"), [("fixed_fee", "1000.01"), ("rate", "100.01"), ("rate", "-1")]
)
def test_admin_commission_rule_refuses_out_of_range(admin_client, field, value):
    data = {"storefront": "", "category": "", "rate": "12.00", "fixed_fee": "0.50"}

    refused = admin_client.post("/admin/sellers/commissionrule/add/", data | {field: value})
    accepted = admin_client.post(
        "/admin/sellers/commissionrule/add/", data | {"rate": "100.00", "fixed_fee": "1000.00"}
    )

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors[field]
    assert accepted.status_code == 302
    assert list(CommissionRule.objects.values_list("rate", "fixed_fee")) == [
        (Decimal("100.00"), Decimal("1000.00"))
    ]


def test_the_check_constraints_hold_the_same_bounds():
    offer = make_offer()
    rule = CommissionRule.objects.create(rate=Decimal("10"), fixed_fee=Decimal("0"))

    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(purchase_cost=Decimal("1000000.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        CommissionRule.objects.filter(pk=rule.pk).update(fixed_fee=Decimal("1000.01"))

"""Issue 13: VAT rates and the sellers' delivery methods have their range once, in pricing.limits,
on the models (validators and CHECK constraints); the portal's delivery form and service and the
admin read it. A value beyond it is a form error naming the field, and nothing is saved."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from galerie.core.errors import DomainError
from galerie.portal.services import delivery_method_save
from galerie.portal.tests.conftest import as_user, world  # noqa: F401
from galerie.pricing.models import DeliveryMethod, TaxRate

pytestmark = pytest.mark.django_db

METHOD = {
    "name": "Colissimo",
    "kind": "weight",
    "fee": "4.90",
    "fee_per_kg": "1.00",
    "free_above": "",
    "delivery_days_min": "2",
    "delivery_days_max": "4",
    "position": "0",
    "is_active": "on",
}
OUT_OF_RANGE = [
    ("fee", "1000.01"),
    ("fee", "1e30"),
    ("fee", "-0.01"),
    ("fee_per_kg", "100.01"),
    ("free_above", "1000000.01"),
    ("delivery_days_min", "-1"),
    ("delivery_days_max", "91"),
    ("delivery_days_max", "99999999999"),
    ("position", "1001"),
]


@pytest.mark.parametrize(("field", "value"), OUT_OF_RANGE)
def test_portal_delivery_form_refuses_out_of_range_and_saves_nothing(
    world,  # noqa: F811
    as_user,  # noqa: F811
    field,
    value,
):
    response = as_user(world.users.owner_a).post(
        "/vendeur/livraison/nouveau/", METHOD | {field: value}
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not DeliveryMethod.objects.exists()


def test_portal_delivery_form_takes_the_bounds_themselves(world, as_user):  # noqa: F811
    response = as_user(world.users.owner_a).post(
        "/vendeur/livraison/nouveau/",
        METHOD
        | {
            "fee": "1000.00",
            "fee_per_kg": "100.00",
            "free_above": "1000000.00",
            "delivery_days_min": "90",
            "delivery_days_max": "90",
            "position": "1000",
        },
    )

    assert response.status_code == 302
    method = DeliveryMethod.objects.get()
    assert (method.fee, method.fee_per_kg, method.free_above) == (
        Decimal("1000.00"),
        Decimal("100.00"),
        Decimal("1000000.00"),
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("fee", Decimal("1E+30")), ("fee_per_kg", Decimal("100.01")), ("position", 2**63)],
)
def test_delivery_service_names_the_field_before_any_write(world, field, value):  # noqa: F811
    values = {
        "name": "Colissimo",
        "kind": "flat",
        "fee": Decimal("4.90"),
        "fee_per_kg": Decimal("0"),
        "free_above": None,
        "delivery_days_min": 2,
        "delivery_days_max": 4,
        "position": 0,
        "is_active": True,
    }

    with pytest.raises(DomainError) as refused:
        delivery_method_save(seller=world.seller_a, **(values | {field: value}))

    assert (refused.value.field, refused.value.code) == (field, "out_of_range")
    assert not DeliveryMethod.objects.exists()


def test_admin_delivery_method_refuses_a_fee_beyond_its_bound(admin_client, world):  # noqa: F811
    data = METHOD | {"seller": world.seller_a.pk, "fee": "1000.01"}

    refused = admin_client.post("/admin/pricing/deliverymethod/add/", data)

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["fee"]
    assert not DeliveryMethod.objects.exists()


@pytest.mark.parametrize(("rate", "accepted"), [("100.00", False), ("-1", False), ("99.99", True)])
def test_admin_tax_rate_within_0_and_100(admin_client, rate, accepted):
    before = TaxRate.objects.count()

    response = admin_client.post(
        "/admin/pricing/taxrate/add/",
        {"tax_class": "standard", "rate": rate, "valid_from": "2030-01-01"},
    )

    assert (response.status_code == 302) == accepted
    assert TaxRate.objects.count() == before + accepted
    if not accepted:
        assert response.context["adminform"].form.errors["rate"]


def test_the_check_constraints_hold_the_same_bounds(world):  # noqa: F811
    method = DeliveryMethod.objects.create(seller=world.seller_a, name="Colissimo")

    for field, value in [("fee", Decimal("1000.01")), ("delivery_days_max", 91)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            DeliveryMethod.objects.filter(pk=method.pk).update(**{field: value})

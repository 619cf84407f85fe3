"""Money in forms and schemas has Decimal bounds: a float bound (0.01) is not exactly one cent and
refused a 0,01 € price."""

import importlib
import inspect
import pkgutil
from decimal import Decimal

import pytest
from django import forms
from django.core import validators
from ninja import Schema

import galerie
from galerie.portal.forms import DeliveryMethodForm, OfferForm, ProductForm
from galerie.sellers.models import Offer

OFFER = {
    "price": "0.01",
    "stock": "1",
    "condition": "used",
    "condition_note": "Couverture abîmée",
    "delivery_price": "0",
    "lead_time_days": "2",
    "sku": "",
}


@pytest.mark.django_db
def test_portal_offer_form_accepts_one_cent(world, as_user):
    client = as_user(world.users.owner_a)
    response = client.post(f"/vendeur/offres/nouvelle/{world.book.pk}/", OFFER)
    assert response.status_code == 302, response.context["form"].errors
    assert Offer.objects.get(product=world.book).price == Decimal("0.01")


@pytest.mark.django_db
def test_portal_offer_form_refuses_zero_and_creates_nothing(world, as_user):
    client = as_user(world.users.owner_a)
    response = client.post(f"/vendeur/offres/nouvelle/{world.book.pk}/", {**OFFER, "price": "0"})
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["price"])
    assert "0.01" in message.replace(",", ".")
    assert not Offer.objects.filter(product=world.book).exists()


def test_money_fields_accept_one_cent():
    offer = OfferForm(data=OFFER)
    assert offer.is_valid(), offer.errors
    assert offer.cleaned_data["price"] == Decimal("0.01")
    product = ProductForm(data={"publisher_price": "0.01"})
    product.is_valid()
    assert "publisher_price" not in product.errors
    method = DeliveryMethodForm(data={"fee": "0.01", "fee_per_kg": "0.01", "free_above": "0.01"})
    method.is_valid()
    assert not {"fee", "fee_per_kg", "free_above"} & set(method.errors)


def _project_modules(leaf: str):
    for info in pkgutil.walk_packages(galerie.__path__, "galerie."):
        if info.name.rsplit(".", 1)[-1] == leaf or (leaf == "api" and ".api." in info.name):
            yield importlib.import_module(info.name)


def test_no_form_or_schema_has_a_float_bound():
    floats = []
    for module in [
        *_project_modules("forms"),
        *_project_modules("admin"),
        *_project_modules("api"),
    ]:
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                for field_name, field in getattr(cls, "base_fields", {}).items():
                    for validator in field.validators:
                        limit = getattr(validator, "limit_value", None)
                        if isinstance(validator, validators.BaseValidator) and isinstance(
                            limit, float
                        ):
                            floats.append(f"{module.__name__}.{name}.{field_name}")
            if issubclass(cls, Schema) and cls.__module__ == module.__name__:
                for field_name, info in cls.model_fields.items():
                    for bound in info.metadata:
                        for attr in ("ge", "gt", "le", "lt"):
                            if isinstance(getattr(bound, attr, None), float):
                                floats.append(f"{module.__name__}.{name}.{field_name}")
    assert floats == []

"""Issue 13: fixed costs and simulation runs have their range once, on the models (validators and
CHECK constraints), read by the admin's form, the service and the `simulate` command. Beyond it,
an error names the field (or the option) and nothing is written."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from galerie.ledger.models import JournalEntry
from galerie.reporting.chart import FixedCostKind
from galerie.reporting.models import FixedCost, FixedCostError, SimulationRun
from galerie.reporting.services import fixed_cost_record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("amount", ["1e30", "100000000.01", "10000000000"])
def test_admin_refuses_a_fixed_cost_beyond_its_bound(admin_client, culture, amount):
    response = admin_client.post(
        "/admin/reporting/fixedcost/add/",
        {"storefront": culture.pk, "month": "2026-03-01", "kind": "rent", "amount": amount,
         "vat": "0", "label": "Loyer"},
    )  # fmt: skip

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["amount"]
    assert not FixedCost.objects.exists() and not JournalEntry.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("amount", "1e30"), ("amount", "100000000.01"), ("vat", "1e30")]
)
def test_service_names_the_field_before_any_write(culture, field, value):
    values = {"amount": "1000.00", "vat": "0"} | {field: value}

    with pytest.raises(FixedCostError) as refused:
        fixed_cost_record(
            storefront=culture,
            month=datetime.date(2026, 3, 1),
            kind=FixedCostKind.RENT,
            label="Loyer",
            **values,
        )

    assert refused.value.field == field
    assert not FixedCost.objects.exists() and not JournalEntry.objects.exists()


def test_the_bound_itself_is_recorded_and_the_database_holds_it(culture):
    cost = fixed_cost_record(
        storefront=culture, month=datetime.date(2026, 3, 1), kind=FixedCostKind.RENT,
        amount="100000000.00", label="Loyer",
    )  # fmt: skip

    assert cost.amount == Decimal("100000000.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        FixedCost.objects.filter(pk=cost.pk).update(amount=Decimal("100000000.01"))


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("seed", 2**31, "Graine"), ("seed", -(2**31) - 1, "Graine"), ("months", 37, "36")],
)
def test_simulate_refuses_an_option_out_of_range_and_records_no_run(option, value, message):
    with pytest.raises(CommandError, match=message):
        call_command("simulate", **{option: value})

    assert not SimulationRun.objects.exists()

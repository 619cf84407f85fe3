"""Issue 13: a payout run's holdback is a percentage, 0…100, once on the model (validator and
CHECK constraint) and read by the run's admin form, the `payout_run` command and the service.
Beyond it, the form or the command says so and no run is recorded."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from galerie.core import clock
from galerie.payouts.models import PayoutRun
from galerie.payouts.services import payout_run

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["100.01", "-0.01", "1e30", "nan", "99999999999999999999"]


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_command_refuses_a_holdback_out_of_range_and_runs_nothing(value):
    with pytest.raises(CommandError, match="entre 0 et 100"):
        call_command("payout_run", "--holdback", value)

    assert not PayoutRun.objects.exists()


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_admin_run_form_refuses_a_holdback_out_of_range(admin_client, value):
    response = admin_client.post(
        reverse("admin:payouts_payoutrun_run"),
        {"as_of": clock.localdate().isoformat(), "holdback_percent": value},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["holdback_percent"]
    assert not PayoutRun.objects.exists()


def test_the_bound_itself_is_a_run_and_the_database_holds_it():
    payout_run(as_of=clock.localdate(), holdback_percent="100")
    run = PayoutRun.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        PayoutRun.objects.filter(pk=run.pk).update(holdback_percent="100.01")

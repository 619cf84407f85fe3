"""`galerie simulate` through the command line: runs once, refuses bad input."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from galerie.orders.models import Order

pytestmark = pytest.mark.django_db(transaction=True)


def test_simulate_command_runs_once(mall):
    call_command("simulate", months=1, scale=0.05, seed=2, stdout=io.StringIO())
    placed = Order.objects.count()
    call_command("simulate", months=1, if_needed=True, stdout=io.StringIO())
    assert Order.objects.count() == placed
    with pytest.raises(CommandError, match="déjà eu lieu"):
        call_command("simulate", months=1, stdout=io.StringIO())
    with pytest.raises(CommandError, match="entre 1 et 36"):
        call_command("simulate", months=0, again=True, stdout=io.StringIO())

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


def test_demo_never_simulates_from_a_test_database_nor_twice():
    from django.utils import timezone

    from galerie.demo.simulation import simulation_launch_for_demo
    from galerie.reporting.models import SimulationRun

    said = []
    assert simulation_launch_for_demo(write=said.append) == "skipped"
    SimulationRun.objects.create(seed=1, months=12, started_at=timezone.now())
    assert simulation_launch_for_demo(write=said.append) == "exists"
    assert said == []

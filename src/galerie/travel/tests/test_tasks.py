import pytest
from django.core.management import call_command

from galerie.core import clock
from galerie.testing.factories import make_trip

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_closing_task_runs_through_django_tasks_and_twice_is_harmless(operator, settings, capsys):
    settings.TASKS = IMMEDIATE
    today = make_trip(seller=operator, starts_on=clock.localdate())

    call_command("close_past_departures", "--enqueue")
    today.offer.refresh_from_db()
    assert not today.offer.is_active
    assert "Tâche mise en file" in capsys.readouterr().out

    call_command("close_past_departures")
    assert "0 départ(s) retiré(s)" in capsys.readouterr().out

"""The demo's simulated year runs on the runtime's clock, not on patched functions: its orders,
payments and journal entries carry simulated dates spread over the window, it sends no e-mail,
and once it is over the real time is back."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from galerie.core import clock
from galerie.demo.simulation import simulate, simulation_window
from galerie.ledger.models import JournalEntry
from galerie.orders.models import Order
from galerie.payments.models import Payment, PaymentStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_simulation_backdates_through_the_clock_and_sends_no_email(mall):
    start, _end = simulation_window(months=2)
    run, result = simulate(months=2, seed=3, scale=0.1)

    assert result.orders_placed > 5
    first = dt.datetime.combine(start, dt.time(0, 0), tzinfo=timezone.get_current_timezone())
    created = sorted(Order.objects.values_list("created_at", flat=True))
    assert len(created) == result.orders_placed
    assert first <= created[0] and created[-1] <= run.finished_at
    assert timezone.localdate(created[0]) < timezone.localdate(created[-1]) - dt.timedelta(days=7)
    captured = Payment.objects.filter(status=PaymentStatus.CAPTURED)
    assert captured.exists()
    assert all(p.captured_at >= p.created_at >= first for p in captured)
    entry_dates = set(JournalEntry.objects.values_list("date", flat=True))
    assert len(entry_dates) > 7 and min(entry_dates) >= start
    # Neither the confirmations nor the status mails of a year of orders went out.
    assert mail.outbox == []
    # The simulated clock ended with the run.
    assert abs(clock.now() - timezone.now()) < dt.timedelta(minutes=5)
    assert run.finished_at.date() >= timezone.now().date() - dt.timedelta(days=1)

"""Payout runs racing on PostgreSQL with real threads: a seller order is paid out once."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from galerie.ledger.checks import ledger_check_run
from galerie.ledger.models import EntryKind, JournalEntry
from galerie.ledger.selectors import seller_payable_balance
from galerie.payouts.models import Payout
from galerie.payouts.services import payout_run

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _tax_rates():
    from galerie.pricing.services import tax_rates_ensure

    tax_rates_ensure()


def test_concurrent_runs_for_the_same_and_the_next_day_pay_once(mall, place, pay, deliver):
    order = place([(mall["offer_a"].pk, 2)])
    pay(order)
    deliver(order.seller_orders.get(), days_ago=20)
    today = timezone.localdate()
    days = [today, today, today + dt.timedelta(days=1)]
    barrier = threading.Barrier(len(days))
    errors = []

    def run(day):
        try:
            barrier.wait()
            payout_run(as_of=day, holdback_percent="0")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(day,)) for day in days]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Payout.objects.filter(seller=mall["a"]).count() == 1
    assert JournalEntry.objects.filter(kind=EntryKind.PAYOUT).count() == 1
    assert seller_payable_balance(seller_id=mall["a"].pk) == 0
    assert {r.name: r.problems for r in ledger_check_run() if not r.ok} == {}

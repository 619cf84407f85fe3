"""Concurrent posting on PostgreSQL: gapless numbers, no deadlock, no double payout."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from galerie.ledger.checks import ledger_check_run
from galerie.ledger.errors import LedgerError
from galerie.ledger.models import JournalEntry
from galerie.ledger.selectors import seller_payable_balance
from galerie.ledger.services import (
    SaleSplit,
    ledger_post_capture,
    ledger_post_payment_fee,
    ledger_post_payout,
)

D = Decimal
DAY = datetime.date(2026, 3, 14)


def run_in_threads(*targets):
    errors, barrier = [], threading.Barrier(len(targets))

    def wrap(target):
        try:
            barrier.wait(timeout=10)
            target()
        except Exception as exc:  # reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_captures_and_fees_never_deadlock_and_stay_gapless(seller_a, storefront):
    def capture_then_fee():
        def work():
            for _i in range(8):
                with transaction.atomic():
                    ledger_post_capture(
                        date=DAY,
                        storefront_id=storefront.pk,
                        splits=[SaleSplit(seller_id=seller_a.pk, amount=D("10.00"),
                                          commission=D("1.00"), commission_vat=D("0.20"))],
                    )  # fmt: skip
                    ledger_post_payment_fee(date=DAY, amount=D("0.15"))

        return work

    def fee_then_capture():
        for _i in range(8):
            with transaction.atomic():
                ledger_post_payment_fee(date=DAY, amount=D("0.15"))
                ledger_post_capture(
                    date=DAY,
                    storefront_id=storefront.pk,
                    splits=[SaleSplit(seller_id=seller_a.pk, amount=D("10.00"))],
                )

    errors = run_in_threads(capture_then_fee(), capture_then_fee(), fee_then_capture)

    assert errors == []
    numbers = sorted(
        JournalEntry.objects.filter(journal__code="VE").values_list("number", flat=True)
    )
    assert numbers == list(range(1, 25))
    assert seller_payable_balance(seller_id=seller_a.pk) == 16 * D("8.80") + 8 * D("10.00")
    assert [r.problems for r in ledger_check_run() if not r.ok] == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_payouts_of_the_balance_pay_once(seller_a, storefront):
    with transaction.atomic():
        ledger_post_capture(
            date=DAY,
            storefront_id=storefront.pk,
            splits=[SaleSplit(seller_id=seller_a.pk, amount=D("50.00"))],
        )

    def pay():
        with transaction.atomic():
            ledger_post_payout(date=DAY, seller_id=seller_a.pk, amount=D("40.00"))

    errors = run_in_threads(pay, pay)

    assert len(errors) == 1
    assert isinstance(errors[0], LedgerError)
    assert errors[0].code == "ledger_payout_exceeds_balance"
    assert seller_payable_balance(seller_id=seller_a.pk) == D("10.00")

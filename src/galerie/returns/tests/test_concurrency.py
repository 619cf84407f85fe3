"""PostgreSQL, real threads: a return is filed and refunded once, whatever races.

The services lock the order first (orders.locks.order_lock), as every refund does: two tabs
withdrawing the last unit file one request; a receipt confirmed twice at once refunds once."""

import datetime as dt

import pytest

from galerie.core import clock
from galerie.payments.models import Refund
from galerie.pricing.services import tax_rates_ensure
from galerie.returns.errors import ReturnQuantity, ReturnTransition
from galerie.returns.models import ReturnRequest, ReturnStatus
from galerie.returns.services import return_receive, return_withdrawal_request
from galerie.testing.concurrency import race
from galerie.testing.factories import make_delivered_order, make_offer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _delivered_line():
    tax_rates_ensure()  # a transactional test starts from a flushed database
    order = make_delivered_order(
        [(make_offer(price="20.00", stock=5), 1)], delivered_at=clock.now() - dt.timedelta(days=1)
    )
    return order, order.lines.get()


def test_two_tabs_withdrawing_the_last_unit_file_one_request():
    order, line = _delivered_line()

    results = race(
        2,
        lambda i: return_withdrawal_request(
            order=order, line_id=line.pk, quantity=1, idempotency_key=f"tab-{i}"
        ),
    )

    filed = [r for r in results if isinstance(r, ReturnRequest)]
    refused = [r for r in results if isinstance(r, ReturnQuantity)]
    assert (len(filed), len(refused)) == (1, 1), results
    assert ReturnRequest.objects.count() == 1


def test_a_receipt_confirmed_twice_at_once_refunds_once():
    order, line = _delivered_line()
    request = return_withdrawal_request(order=order, line_id=line.pk, quantity=1)

    results = race(2, lambda i: return_receive(request=request))

    assert sum(isinstance(r, ReturnRequest) for r in results) == 1, results
    assert sum(isinstance(r, ReturnTransition) for r in results) == 1, results
    assert Refund.objects.count() == 1
    assert ReturnRequest.objects.get().status == ReturnStatus.REFUNDED

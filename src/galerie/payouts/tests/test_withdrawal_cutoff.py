"""One 14-day withdrawal cutoff (orders.selectors.withdrawal_cutoff): the day of delivery does not
count, the period ends at the end of its 14th day. The payout run and the seller portal's money
page agree at the boundary."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from galerie.orders.models import SellerOrder
from galerie.orders.selectors import withdrawal_cutoff
from galerie.payouts.models import Payout
from galerie.payouts.services import payout_run
from galerie.portal.selectors import seller_money

DELIVERY_DAY = dt.date(2026, 3, 2)


def _local(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(hour, minute, second), tzinfo=timezone.get_current_timezone()
    )


def _past(delivered_at: dt.datetime, on: dt.date) -> bool:
    return delivered_at < withdrawal_cutoff(on=on)


def test_period_runs_from_the_day_after_delivery_to_the_end_of_its_14th_day():
    late_evening = _local(DELIVERY_DAY, 23, 59, 59)
    midnight = _local(DELIVERY_DAY, 0, 0)
    last_day = DELIVERY_DAY + dt.timedelta(days=14)  # 16 March: still inside, all day
    assert not _past(late_evening, last_day) and not _past(midnight, last_day)
    assert _past(late_evening, last_day + dt.timedelta(days=1))
    assert _past(midnight, last_day + dt.timedelta(days=1))
    # Delivered at the first instant of the next day: one more day to withdraw.
    next_day = _local(DELIVERY_DAY + dt.timedelta(days=1), 0, 0)
    assert not _past(next_day, last_day + dt.timedelta(days=1))
    # The old "now − 14 days" counted 14 × 24 h from delivery and ended on the 14th day itself.
    assert withdrawal_cutoff(on=last_day) == _local(DELIVERY_DAY, 0, 0)


@pytest.mark.django_db
def test_payout_and_portal_agree_at_the_boundary(mall, place, pay, deliver):
    order = place([(mall["offer_a"].pk, 1)])
    pay(order)
    part = deliver(order.seller_orders.get())
    SellerOrder.objects.filter(pk=part.pk).update(delivered_at=_local(DELIVERY_DAY, 18, 0))
    last_day = DELIVERY_DAY + dt.timedelta(days=14)

    # Last day of the period, one second before midnight: in the window everywhere.
    money = seller_money(seller=mall["a"], now=_local(last_day, 23, 59, 59))
    assert money.delivered_payable == 0 and money.delivered_in_withdrawal == part.total > 0
    assert payout_run(as_of=last_day, holdback_percent="0") == []
    assert not Payout.objects.exists()

    # The day after: payable everywhere.
    day_after = last_day + dt.timedelta(days=1)
    money = seller_money(seller=mall["a"], now=_local(day_after, 0, 0))
    assert money.delivered_payable == part.total and money.delivered_in_withdrawal == 0
    [payout] = payout_run(as_of=day_after, holdback_percent="0")
    assert payout.seller == mall["a"] and payout.amount > Decimal("0")
    assert payout.lines.filter(seller_order=part).exists()

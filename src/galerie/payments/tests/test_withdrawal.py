import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import Sum

from galerie.core import clock
from galerie.ledger.models import JournalLine
from galerie.ledger.postings import _remaining
from galerie.payments.models import Refund
from galerie.payments.refunds import subscription_withdraw
from galerie.subscriptions.errors import NotWithdrawable, WithdrawalPeriodOver
from galerie.subscriptions.models import FulfilmentStatus, SubscriptionStatus, TermStatus
from galerie.subscriptions.services import fulfilments_ship
from galerie.testing.factories import make_seller, make_subscription_offer
from galerie.testing.subscriptions import subscription_buy

pytestmark = pytest.mark.django_db


def ship(subscription, count, *, now=None):
    ids = list(subscription.fulfilments.order_by("issue_date").values_list("pk", flat=True))
    fulfilments_ship(seller=subscription.seller, fulfilment_ids=ids[:count], now=now)


def ledger_still_holds(order) -> Decimal:
    return sum((piece.cash for piece in _remaining(order_id=order.pk).values()), Decimal("0"))


def assert_ledger_balanced():
    totals = JournalLine.objects.aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"]


@pytest.mark.parametrize("operator", [False, True])
@pytest.mark.parametrize(
    ("price", "shipped", "refunded"),
    [("39.00", 0, "39.00"), ("39.00", 2, "26.00"), ("40.00", 1, "33.33"), ("40.00", 6, None)],
)
def test_a_withdrawal_refunds_the_first_term_minus_the_issues_shipped_pro_rata(
    storefront, django_capture_on_commit_callbacks, operator, price, shipped, refunded
):
    seller = make_seller("Presse SA", is_operator=operator)
    offer = make_subscription_offer(price=price, issues_per_year=12, term_months=6, seller=seller)
    subscription = subscription_buy(offer=offer, storefront=storefront)
    order = subscription.terms.get().order_line.order
    ship(subscription, shipped)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        refund = subscription_withdraw(
            subscription=subscription, actor=None, idempotency_key=f"withdraw-{subscription.pk}"
        )

    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELLED
    assert subscription.withdrawn_at is not None and subscription.auto_renew is False
    assert subscription.terms.get().status == TermStatus.REFUNDED
    statuses = list(subscription.fulfilments.values_list("status", flat=True))
    assert statuses.count(FulfilmentStatus.SHIPPED) == shipped
    assert statuses.count(FulfilmentStatus.CANCELLED) == 6 - shipped
    delivery = order.seller_orders.get().delivery_fee
    if refunded is None:
        assert refund is None or refund.amount == delivery
    else:
        assert refund.amount == Decimal(refunded) + delivery
    order.refresh_from_db()
    assert order.refunded_total == (refund.amount if refund else 0)
    # The ledger gives back exactly what was refunded and keeps the issues delivered.
    assert ledger_still_holds(order) == order.total - order.refunded_total
    assert_ledger_balanced()
    (message,) = [m for m in mail.outbox if "rétractation" in m.subject]
    assert f"{shipped} numéro" in message.body


def test_withdrawing_twice_refunds_once(storefront):
    subscription = subscription_buy(offer=make_subscription_offer(), storefront=storefront)
    first = subscription_withdraw(subscription=subscription, actor=None, idempotency_key="w-1")
    again = subscription_withdraw(subscription=subscription, actor=None, idempotency_key="w-2")
    assert again == first
    assert Refund.objects.count() == 1


def test_print_withdrawal_period_runs_14_days_from_the_first_issue_shipped(storefront):
    subscription = subscription_buy(
        offer=make_subscription_offer(medium="print"), storefront=storefront
    )
    shipped_at = clock.now()
    ship(subscription, 1, now=shipped_at)
    late = shipped_at + dt.timedelta(days=15)
    with pytest.raises(WithdrawalPeriodOver) as caught:
        subscription_withdraw(subscription=subscription, actor=None, idempotency_key="w", now=late)
    assert caught.value.code == "withdrawal_period_over"
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE and not Refund.objects.exists()
    assert not subscription.fulfilments.filter(status=FulfilmentStatus.CANCELLED).exists()

    last_day = shipped_at + dt.timedelta(days=14)
    assert subscription_withdraw(
        subscription=subscription, actor=None, idempotency_key="w", now=last_day
    )


def test_an_unshipped_print_subscription_may_be_withdrawn_from_weeks_after_payment(storefront):
    # The period runs from the first issue's receipt (L221-18, 3°): it has not begun.
    subscription = subscription_buy(
        offer=make_subscription_offer(medium="print"), storefront=storefront
    )
    later = clock.now() + dt.timedelta(days=40)
    assert subscription_withdraw(
        subscription=subscription, actor=None, idempotency_key="w", now=later
    )


def test_digital_withdrawal_period_runs_14_days_from_payment(storefront):
    subscription = subscription_buy(
        offer=make_subscription_offer(medium="digital"), storefront=storefront
    )
    with pytest.raises(WithdrawalPeriodOver):
        subscription_withdraw(
            subscription=subscription,
            actor=None,
            idempotency_key="w",
            now=clock.now() + dt.timedelta(days=15),
        )


def test_an_unpaid_subscription_cannot_be_withdrawn_from(storefront):
    subscription = subscription_buy(
        offer=make_subscription_offer(), storefront=storefront, paid=False
    )
    with pytest.raises(NotWithdrawable):
        subscription_withdraw(subscription=subscription, actor=None, idempotency_key="w")
    assert not Refund.objects.exists()

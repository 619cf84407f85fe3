"""Reconciliation on a simulated period: two months, a few dozen orders through the real services
(payments, cancellations, returns, payouts, fixed costs). Every figure of the report equals the
same sum computed independently from the orders, their lines, payments, refunds and fixed costs,
and equals the journal read line by line; the group equals the sum of its storefronts."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum

from galerie.core.money import CENT, to_money
from galerie.demo.simulation import simulate, simulation_window
from galerie.ledger.models import AccountKind, EntryKind, JournalLine
from galerie.orders.models import Order, OrderLine, OrderStatus, SellerOrder, SellerOrderStatus
from galerie.payments.models import Payment, PaymentStatus, Refund
from galerie.reporting.chart import CASH_ACCOUNTS
from galerie.reporting.models import FixedCost, SimulationRun
from galerie.reporting.selectors import economics, economics_total

ZERO = Decimal("0.00")
pytestmark = pytest.mark.django_db(transaction=True)


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _commission_ht(commission_incl_vat: Decimal) -> Decimal:
    """20 % VAT on the operator's commission, rounded half-up on the amount excl. VAT."""
    return to_money(commission_incl_vat / Decimal("1.2"))


def _expected_from_orders() -> dict[int, dict[str, Decimal]]:
    """Per storefront id, each report figure recomputed from orders, payments and fixed costs.

    In the simulation a refund always covers whole lines (a cancelled part, a cancelled order or
    a returned line), so a line is either kept whole or given back whole."""
    figures: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    captured = Payment.objects.filter(status=PaymentStatus.CAPTURED).select_related("order")
    captured_orders = set()
    for payment in captured:
        row = figures[payment.order.storefront_id]
        row["gmv"] += payment.amount
        captured_orders.add(payment.order_id)
        if payment.method == "card":
            fee = to_money(payment.amount * Decimal("0.014") + Decimal("0.25"))
            row["payment_fees"] += min(fee, payment.amount)
    for refund in Refund.objects.select_related("order"):
        figures[refund.order.storefront_id]["refunds"] += refund.amount
    lines = OrderLine.objects.filter(order_id__in=captured_orders, refunded_quantity=0)
    for line in lines.select_related("order", "seller_order__seller"):
        row = figures[line.order.storefront_id]
        if line.seller_order.seller.is_operator:
            row["own_sales"] += line.line_total - line.vat_amount
            row["cogs"] += to_money((line.purchase_cost or ZERO) * line.quantity)
        else:
            row["commissions"] += _commission_ht(line.commission_amount or ZERO)
    parts = SellerOrder.objects.filter(
        order_id__in=captured_orders, seller__is_operator=True
    ).select_related("order")
    for part in parts:
        row = figures[part.order.storefront_id]
        kept = part.order.status == OrderStatus.PAID and part.status != SellerOrderStatus.CANCELLED
        if kept:
            delivery_vat = sum((Decimal(p["vat"]) for p in part.delivery_vat), ZERO)
            row["delivery_revenue"] += part.delivery_fee - delivery_vat
        if part.shipped_at is not None:
            row["delivery_costs"] += Decimal("4.90")
    for cost in FixedCost.objects.all():
        figures[cost.storefront_id]["fixed_costs"] += cost.amount
    return figures


def test_simulated_period_reconciles_with_orders_payments_costs_and_journal(mall):
    run, result = simulate(months=2, seed=7, scale=0.2)
    assert result.orders_placed >= 10 and result.orders_paid >= 8
    assert result.deliveries >= 5 and result.fixed_costs >= 4
    assert result.customer_cancellations + result.seller_cancellations + result.returns >= 1
    assert result.payouts >= 1  # weekly payout runs paid the trader through the payouts app
    assert run.finished_at is not None
    start, _now = simulation_window(months=2, now=run.started_at)
    end = run.started_at.date()
    rows = economics(start=start, end=end, group_by="storefront")
    (group,) = economics(start=start, end=end, group_by=())
    assert {row.storefront_id for row in rows} == {s.pk for s in mall}

    expected = _expected_from_orders()
    for row in rows:
        wanted = expected[row.storefront_id]
        for figure in ["gmv", "refunds", "own_sales", "commissions", "delivery_revenue", "cogs",
                       "payment_fees", "delivery_costs", "fixed_costs"]:  # fmt: skip
            assert getattr(row, figure) == wanted[figure], (row.label, figure)
        assert row.other_revenue == ZERO and row.other_costs == ZERO

    # The journal, read line by line (not the monthly totals the report reads).
    lines = JournalLine.objects.filter(date__gte=start, date__lte=end)
    revenue = lines.filter(account__kind=AccountKind.REVENUE).aggregate(
        c=Sum("credit"), d=Sum("debit")
    )
    expense = lines.filter(account__kind=AccountKind.EXPENSE).aggregate(
        c=Sum("credit"), d=Sum("debit")
    )
    net_revenue = _cents(revenue["c"]) - _cents(revenue["d"])
    costs = _cents(expense["d"]) - _cents(expense["c"])
    assert group.net_revenue == net_revenue
    assert group.variable_costs + group.fixed_costs == costs
    assert group.operating_result == net_revenue - costs
    cash = lines.filter(account__number__in=CASH_ACCOUNTS)
    gmv = cash.filter(entry__kind=EntryKind.CAPTURE).aggregate(s=Sum("debit"))["s"]
    refunded = cash.filter(entry__kind=EntryKind.REFUND).aggregate(s=Sum("credit"))["s"]
    assert (group.gmv, group.refunds) == (_cents(gmv), _cents(refunded))

    total = economics_total(rows)
    for attribute in ["gmv", "refunds", "net_revenue", "variable_costs", "contribution_margin",
                      "fixed_costs", "operating_result"]:  # fmt: skip
        assert getattr(total, attribute) == getattr(group, attribute), attribute
    # Every order placed is accounted for; the simulation ran once.
    assert Order.objects.count() == result.orders_placed
    assert SimulationRun.objects.count() == 1

"""Balances, trial balance and the grouped aggregation the economics reports build on."""

import datetime
from decimal import Decimal

import pytest

from galerie.ledger import chart
from galerie.ledger.selectors import ledger_aggregate, seller_payable_balance, trial_balance
from galerie.ledger.services import (
    SaleSplit,
    ledger_post_capture,
    ledger_post_payment_fee,
    ledger_post_payout,
    ledger_post_refund,
)
from galerie.testing.factories import make_storefront

D = Decimal
JAN, FEB = datetime.date(2026, 1, 10), datetime.date(2026, 2, 3)


@pytest.fixture
def trading(operator, seller_a, seller_b, storefront, books, music):
    other = make_storefront("musique", name="Musique")
    commission = {"commission": D("2.50"), "commission_vat": D("0.50")}
    ledger_post_capture(
        date=JAN,
        storefront_id=storefront.pk,
        splits=[
            SaleSplit(seller_id=seller_a.pk, category_id=books.pk, amount=D("20.00"), **commission),
            SaleSplit(seller_id=operator.pk, category_id=books.pk, amount=D("12.00"),
                      vat=D("2.00")),
        ],
    )  # fmt: skip
    ledger_post_capture(
        date=FEB,
        storefront_id=other.pk,
        splits=[
            SaleSplit(seller_id=seller_b.pk, category_id=music.pk, amount=D("40.00"), **commission),
        ],
    )  # fmt: skip
    ledger_post_refund(
        date=FEB,
        storefront_id=storefront.pk,
        splits=[SaleSplit(seller_id=seller_a.pk, category_id=books.pk, amount=D("10.00"),
                          commission=D("1.25"), commission_vat=D("0.25"))],
    )  # fmt: skip
    ledger_post_payment_fee(date=FEB, amount=D("0.30"), storefront_id=other.pk)
    ledger_post_payout(date=FEB, seller_id=seller_b.pk, amount=D("30.00"))
    return other


@pytest.mark.django_db
def test_seller_payable_balance(trading, seller_a, seller_b):
    assert seller_payable_balance(seller_id=seller_a.pk) == D("17.00") - D("8.50")
    assert seller_payable_balance(seller_id=seller_b.pk) == D("37.00") - D("30.00")
    assert seller_payable_balance(seller_id=seller_a.pk, end=JAN) == D("17.00")


@pytest.mark.django_db
def test_trial_balance_sums_to_zero_and_lists_every_account(trading, seller_a):
    rows = trial_balance()
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows) == D("112.30")
    by_code = {r.code: r for r in rows}
    assert by_code[chart.PROVIDER_CLEARING].balance == D("72.00") - D("10.30")
    assert by_code[f"467100-V{seller_a.pk:06d}"].balance == D("-8.50")
    january = {r.code: r for r in trial_balance(end=JAN)}
    assert january[chart.COMMISSION_REVENUE].credit == D("2.50")
    assert chart.PAYMENT_FEES not in january


@pytest.mark.django_db
def test_aggregate_revenue_by_storefront_and_month(trading, storefront):
    rows = ledger_aggregate(
        group_by=["kind", "storefront", "month"],
        account_numbers=[
            chart.COMMISSION_REVENUE,
            chart.COMMISSION_REBATES,
            chart.OWN_SALES,
            chart.PAYMENT_FEES,
        ],
    )
    assert rows == [
        {"kind": "expense", "storefront_id": trading.pk, "month": datetime.date(2026, 2, 1),
         "debit": D("0.30"), "credit": D("0.00"), "net": D("-0.30")},
        {"kind": "revenue", "storefront_id": storefront.pk, "month": datetime.date(2026, 1, 1),
         "debit": D("0.00"), "credit": D("12.50"), "net": D("12.50")},
        {"kind": "revenue", "storefront_id": storefront.pk, "month": datetime.date(2026, 2, 1),
         "debit": D("1.25"), "credit": D("0.00"), "net": D("-1.25")},
        {"kind": "revenue", "storefront_id": trading.pk, "month": datetime.date(2026, 2, 1),
         "debit": D("0.00"), "credit": D("2.50"), "net": D("2.50")},
    ]  # fmt: skip


@pytest.mark.django_db
def test_aggregate_gmv_by_seller_and_category(trading, operator, seller_a, seller_b, books, music):
    rows = ledger_aggregate(
        group_by=["seller", "category", "entry_kind"],
        account_numbers=[chart.PROVIDER_CLEARING],
        start=JAN,
        end=FEB,
    )
    gmv = {(r["seller_id"], r["category_id"], r["entry_kind"]): r["net"] for r in rows}
    assert gmv == {
        (operator.pk, books.pk, "capture"): D("-12.00"),
        (seller_a.pk, books.pk, "capture"): D("-20.00"),
        (seller_a.pk, books.pk, "refund"): D("10.00"),
        (seller_b.pk, music.pk, "capture"): D("-40.00"),
        (None, None, "payment_fee"): D("0.30"),
    }


def test_aggregate_refuses_an_unknown_grouping():
    with pytest.raises(ValueError, match="unknown grouping: week"):
        ledger_aggregate(group_by=["week"])


@pytest.mark.django_db
def test_monthly_totals_give_the_same_figures_as_the_lines(trading):
    for group_by in (
        ["kind", "storefront", "seller", "category", "month"],
        ["account", "seller"],
        ["entry_kind", "storefront", "month"],
    ):
        for start, end in ((None, None), (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))):
            kw = {"group_by": group_by, "start": start, "end": end}
            assert ledger_aggregate(**kw) == ledger_aggregate(**kw, from_lines=True)
    february = ledger_aggregate(group_by=["month"], start=datetime.date(2026, 2, 1))
    assert [row["month"] for row in february] == [datetime.date(2026, 2, 1)]


@pytest.mark.django_db
def test_mid_month_period_reads_the_lines(trading):
    rows = ledger_aggregate(
        group_by=["account"],
        start=datetime.date(2026, 1, 11),
        end=datetime.date(2026, 2, 28),
        account_numbers=[chart.COMMISSION_REVENUE],
    )
    assert rows == [
        {"account_number": "706000", "debit": D("0.00"), "credit": D("2.50"), "net": D("2.50")}
    ]

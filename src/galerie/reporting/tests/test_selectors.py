"""The economics selector against hand-posted ledger entries: every column, groupings, totals."""

import datetime
from decimal import Decimal

import pytest

from galerie.reporting.selectors import economics, economics_total

from .conftest import FEB, JAN

D = Decimal


@pytest.mark.django_db
def test_storefront_rows_carry_every_column(trading, culture, tech):
    rows = {r.storefront_id: r for r in economics(start=JAN, end=datetime.date(2026, 2, 28))}
    c = rows[culture.pk]
    assert c.gmv == D("38.66")
    assert c.refunds == D("10.00")
    assert c.own_sales == D("12.00")
    assert c.delivery_revenue == D("5.00")
    assert c.commissions == D("1.25")  # 2.50 charged, 1.25 given back
    assert c.payment_fees == D("0.80")
    assert c.net_revenue == D("18.25")
    assert c.contribution_margin == D("17.45")
    assert c.fixed_costs == D("0.00")
    assert c.operating_result == D("17.45")
    t = rows[tech.pk]
    assert (t.gmv, t.own_sales, t.fixed_costs) == (D("120.00"), D("100.00"), D("300.00"))
    assert t.operating_result == D("-200.00")
    assert t.label == "Tech"


@pytest.mark.django_db
def test_group_equals_sum_of_storefronts_and_of_any_grouping(trading):
    period = {"start": JAN, "end": datetime.date(2026, 2, 28)}
    (group,) = economics(group_by=(), **period)
    for grouping in ["storefront", "month", "seller", "category", ["storefront", "month"]]:
        total = economics_total(economics(group_by=grouping, **period))
        assert total.operating_result == group.operating_result == D("-182.55")
        assert (total.gmv, total.net_revenue, total.fixed_costs) == (
            group.gmv, group.net_revenue, group.fixed_costs,
        )  # fmt: skip


@pytest.mark.django_db
def test_period_limits_and_storefront_filter(trading, culture, tech):
    (january,) = economics(group_by=(), start=JAN, end=datetime.date(2026, 1, 31))
    assert january.gmv == D("38.66") and january.refunds == 0
    (only_tech,) = economics(
        group_by=(), start=JAN, end=datetime.date(2026, 2, 28), storefront_ids=[tech.pk]
    )
    assert only_tech.operating_result == D("-200.00")


@pytest.mark.django_db
def test_categories_roll_up_to_departments(trading, books, novels):
    period = {"start": JAN, "end": datetime.date(2026, 2, 28), "group_by": "category"}
    leaves = {r.category_id for r in economics(**period)}
    assert leaves == {books.pk, novels.pk, None}
    rolled = {r.category_id: r for r in economics(category_depth=1, **period)}
    assert set(rolled) == {books.pk, None}
    assert rolled[books.pk].gmv == D("152.66")
    assert rolled[None].label == "Non ventilé"


@pytest.mark.django_db
def test_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="unknown grouping"):
        economics(start=JAN, end=FEB, group_by=["colour"])


@pytest.mark.django_db
def test_regrouping_a_fine_cube_gives_what_the_database_groups(trading, tech):
    from galerie.reporting.selectors import GROUPINGS, economics_regroup

    period = {"start": JAN, "end": datetime.date(2026, 2, 28)}
    cube = economics(group_by=GROUPINGS, **period)
    for grouping in ["storefront", "month", "seller", ["storefront", "month"]]:
        direct = economics(group_by=grouping, **period)
        folded = economics_regroup(cube, group_by=grouping)
        assert [(r.label, r.gmv, r.operating_result) for r in folded] == [
            (r.label, r.gmv, r.operating_result) for r in direct
        ]
    departments = economics_regroup(cube, group_by="category", category_depth=1)
    assert [r.label for r in departments] == ["Livres", "Non ventilé"]
    only_tech = economics_regroup(cube, group_by=(), storefront_ids=[tech.pk])
    assert only_tech[0].operating_result == D("-200.00")


def test_custom_range_reads_partial_months_from_lines_and_whole_months_from_totals(trading):
    from galerie.reporting.selectors import period_segments

    assert period_segments(datetime.date(2026, 1, 15), datetime.date(2026, 3, 10)) == [
        (datetime.date(2026, 1, 15), datetime.date(2026, 1, 31)),
        (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 10)),
    ]
    (row,) = economics(group_by=(), start=datetime.date(2026, 1, 5), end=datetime.date(2026, 2, 5))
    assert (row.gmv, row.refunds, row.fixed_costs) == (D("38.66"), D("10.00"), D("300.00"))
    (row,) = economics(group_by=(), start=datetime.date(2026, 1, 11), end=datetime.date(2026, 2, 6))
    assert (row.gmv, row.refunds) == (D("120.00"), D("10.00"))


def _sell(storefront, *, cutoff):
    """Mark the storefront sold (as `galerie detach-storefront` leaves it), cut off on `cutoff`."""
    from django.utils import timezone

    from galerie.storefronts.models import Storefront

    Storefront.objects.filter(pk=storefront.pk).update(
        detached_at=timezone.now(), successor_name="Maison Dupont", is_active=False,
        cutoff_date=cutoff,
    )  # fmt: skip


@pytest.mark.django_db
def test_sold_storefront_counts_up_to_its_cutoff_only(trading, culture, tech):
    before = {r.storefront_id: r for r in economics(start=JAN, end=datetime.date(2026, 2, 28))}
    _sell(culture, cutoff=datetime.date(2026, 2, 2))  # the refund of 3 February is after it
    rows = {r.storefront_id: r for r in economics(start=JAN, end=datetime.date(2026, 2, 28))}
    c = rows[culture.pk]
    assert c.gmv == D("38.66") and c.refunds == D("0.00")
    assert c.commissions == D("2.50")  # the 1.25 given back on 3 February is not counted
    assert rows[tech.pk].operating_result == before[tech.pk].operating_result
    by_month = economics(
        start=JAN, end=datetime.date(2026, 2, 28), group_by=["storefront", "month"]
    )
    assert [r.month for r in by_month if r.storefront_id == culture.pk] == [JAN]
    # A cut-off on the day of the refund counts it (partial month read from the lines).
    _sell(culture, cutoff=datetime.date(2026, 2, 3))
    [c] = economics(start=JAN, end=datetime.date(2026, 2, 28), storefront_ids=[culture.pk])
    assert c.refunds == D("10.00") and c.commissions == D("1.25")


@pytest.mark.django_db
def test_constant_scope_leaves_sold_storefronts_out_of_every_period(trading, culture, tech):
    span = {"start": JAN, "end": datetime.date(2026, 2, 28)}
    everyone = economics(**span)
    _sell(culture, cutoff=datetime.date(2026, 2, 2))
    constant = economics(constant_scope=True, **span)
    assert culture.pk not in {r.storefront_id for r in constant}
    expected = economics_total(r for r in everyone if r.storefront_id != culture.pk)
    assert economics_total(constant).operating_result == expected.operating_result
    assert economics_total(constant).gmv == expected.gmv
    january = economics(start=JAN, end=datetime.date(2026, 1, 31), constant_scope=True)
    assert culture.pk not in {r.storefront_id for r in january}
    by_category = economics(group_by="category", constant_scope=True, **span)
    assert economics_total(by_category).net_revenue == expected.net_revenue

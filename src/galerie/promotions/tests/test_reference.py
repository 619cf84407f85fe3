"""Omnibus reference price (art. L112-1-1 C. conso.): the lowest price of the 30 days before a
reduction, and the reduction a page may announce from it."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from galerie.promotions.models import ReductionKind
from galerie.promotions.services import reduced_price, reference_from_history
from galerie.sellers.models import reduction_percent

START = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)
# (days before the reduction, price): some before the 30-day window, some inside it.
histories = st.lists(st.tuples(st.integers(min_value=1, max_value=60), prices), min_size=1)
reductions = st.one_of(
    st.tuples(st.just(ReductionKind.PERCENT), st.integers(min_value=1, max_value=99).map(Decimal)),
    st.tuples(st.just(ReductionKind.AMOUNT), prices),
)


def _changes(history):
    return [(START - dt.timedelta(days=days), price) for days, price in history]


@settings(max_examples=300, deadline=None)
@given(history=histories, reduction=reductions, regular=prices)
def test_announced_percent_never_exceeds_the_real_reduction_from_the_reference(
    history, reduction, regular
):
    # Given any price history and any promotion on the current regular price
    reference = reference_from_history(_changes(history), at=START)
    kind, value = reduction
    price = reduced_price(regular=regular, kind=kind, value=value)
    # When the page computes the reduction it announces
    percent = reduction_percent(reference=reference, price=price)
    # Then it is announced only below the reference, and never larger than the real one
    if percent is not None:
        assert price < reference
        assert 0 < Decimal(percent) <= (reference - price) * 100 / reference


@settings(max_examples=300, deadline=None)
@given(history=histories, raise_days=st.integers(min_value=0, max_value=29), raise_by=prices)
def test_raising_the_price_before_a_promotion_never_raises_the_reference(
    history, raise_days, raise_by
):
    # Given a price history and its reference for a reduction starting at START
    changes = _changes(history)
    before = reference_from_history(changes, at=START)
    last_price = max(changes)[1]
    # When the seller raises its price within the 30 days before the reduction
    raised = (START - dt.timedelta(days=raise_days, hours=1), last_price + raise_by)
    after = reference_from_history([*changes, raised], at=START)
    # Then the reference is not higher than it was
    assert after <= before


def test_reference_is_the_lowest_price_of_the_30_days_before_the_reduction():
    changes = _changes([(45, Decimal("9.00")), (20, Decimal("12.00")), (5, Decimal("11.00"))])
    # 9.00 was still the price when the window opened (30 days before), so it counts.
    assert reference_from_history(changes, at=START) == Decimal("9.00")
    later = _changes([(45, Decimal("9.00")), (31, Decimal("12.00")), (5, Decimal("11.00"))])
    assert reference_from_history(later, at=START) == Decimal("11.00")


def test_a_price_set_when_the_reduction_starts_is_not_part_of_its_reference():
    changes = [(START - dt.timedelta(days=3), Decimal("10.00")), (START, Decimal("2.00"))]
    assert reference_from_history(changes, at=START) == Decimal("10.00")


def test_no_history_before_the_reduction_gives_no_reference():
    assert reference_from_history([(START, Decimal("10.00"))], at=START) is None
    assert reduction_percent(reference=None, price=Decimal("8.00")) is None


def test_reduced_price_never_goes_below_the_floor_nor_above_the_regular_price():
    assert reduced_price(
        regular=Decimal("20.00"), kind=ReductionKind.PERCENT, value=Decimal("20")
    ) == Decimal("16.00")
    assert reduced_price(
        regular=Decimal("20.00"),
        kind=ReductionKind.PERCENT,
        value=Decimal("20"),
        floor=Decimal("19.00"),
    ) == Decimal("19.00")
    assert reduced_price(
        regular=Decimal("5.00"), kind=ReductionKind.AMOUNT, value=Decimal("8.00")
    ) == Decimal("0.01")
    assert reduced_price(
        regular=Decimal("5.00"),
        kind=ReductionKind.AMOUNT,
        value=Decimal("1.00"),
        floor=Decimal("6.00"),
    ) == Decimal("5.00")

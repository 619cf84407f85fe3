import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galerie.subscriptions.schedule import (
    add_months,
    first_term_start,
    issue_dates,
    notice_window,
    term_end,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2027, 1, 31), 1, D(2027, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2027, 3, 31), -1, D(2027, 2, 28)),
        (D(2027, 11, 15), 3, D(2028, 2, 15)),
        (D(2027, 5, 10), -12, D(2026, 5, 10)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_a_six_month_term_ends_the_day_before_the_same_date_six_months_later():
    assert term_end(starts_on=D(2027, 1, 15), term_months=6) == D(2027, 7, 14)
    assert term_end(starts_on=D(2027, 8, 31), term_months=6) == D(2028, 2, 28)


def test_a_subscription_starts_today_or_with_a_later_first_issue():
    assert first_term_start(first_issue_on=D(2027, 1, 1), today=D(2027, 3, 3)) == D(2027, 3, 3)
    assert first_term_start(first_issue_on=D(2027, 5, 1), today=D(2027, 3, 3)) == D(2027, 5, 1)


def test_a_monthly_keeps_its_day_of_month_and_serves_twelve_issues_a_year():
    dates = issue_dates(
        first_issue_on=D(2026, 1, 31), issues_per_year=12, start=D(2027, 1, 1), end=D(2027, 12, 31)
    )
    assert len(dates) == 12
    assert dates[:3] == [D(2027, 1, 31), D(2027, 2, 28), D(2027, 3, 31)]


def test_a_weekly_serves_one_issue_every_seven_days_from_its_first():
    dates = issue_dates(
        first_issue_on=D(2027, 1, 6), issues_per_year=52, start=D(2027, 3, 1), end=D(2027, 3, 31)
    )
    assert dates == [D(2027, 3, 3), D(2027, 3, 10), D(2027, 3, 17), D(2027, 3, 24), D(2027, 3, 31)]


def test_a_six_day_daily_skips_sundays():
    dates = issue_dates(
        first_issue_on=D(2026, 1, 1), issues_per_year=312, start=D(2027, 3, 1), end=D(2027, 3, 14)
    )
    assert len(dates) == 12
    assert all(day.weekday() != 6 for day in dates)


def test_no_issue_before_the_first_one():
    dates = issue_dates(
        first_issue_on=D(2027, 6, 1), issues_per_year=4, start=D(2027, 1, 1), end=D(2027, 12, 31)
    )
    assert dates == [D(2027, 6, 1), D(2027, 9, 1), D(2027, 12, 1)]


@given(
    first=st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 1, 1)),
    per_year=st.sampled_from([1, 2, 4, 6, 10, 11, 12, 24, 26, 52, 100, 312, 365]),
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2031, 1, 1)),
    months=st.sampled_from([3, 6, 12]),
)
def test_issue_dates_are_sorted_unique_within_the_term_and_about_the_rhythm(
    first, per_year, start, months
):
    end = term_end(starts_on=start, term_months=months)
    dates = issue_dates(first_issue_on=first, issues_per_year=per_year, start=start, end=end)
    assert dates == sorted(set(dates))
    assert all(start <= day <= end and day >= first for day in dates)
    if first <= start:
        # A full term serves its share of the year's issues, give or take one at the edges.
        assert abs(len(dates) - per_year * months / 12) <= 1 + per_year * months / 12 * 0.02


def test_the_renewal_notice_window_runs_from_three_months_to_one_month_before_the_end():
    assert notice_window(ends_on=D(2027, 6, 30)) == (D(2027, 3, 30), D(2027, 5, 30))

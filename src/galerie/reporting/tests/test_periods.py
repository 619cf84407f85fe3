"""The period picker: month, quarter, year, custom range, last twelve months; bad input."""

import datetime

import pytest

from galerie.reporting.periods import PeriodError, period_from_params

TODAY = datetime.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("params", "start", "end", "label"),
    [
        ({}, (2025, 11, 1), (2026, 10, 31), "les 12 derniers mois"),
        ({"periode": "mois", "annee": "2024", "mois": "2"}, (2024, 2, 1), (2024, 2, 29),
         "février 2024"),
        ({"periode": "trimestre", "annee": "2026", "trimestre": "1"}, (2026, 1, 1), (2026, 3, 31),
         "1er trimestre 2026"),
        ({"periode": "trimestre", "annee": "2025", "trimestre": "4"}, (2025, 10, 1),
         (2025, 12, 31), "4e trimestre 2025"),
        ({"periode": "annee", "annee": "2025"}, (2025, 1, 1), (2025, 12, 31), "année 2025"),
        ({"periode": "plage", "du": "2026-01-15", "au": "2026-03-10"}, (2026, 1, 15),
         (2026, 3, 10), "du 15/01/2026 au 10/03/2026"),
    ],
)  # fmt: skip
def test_periods(params, start, end, label):
    period = period_from_params(params, today=TODAY)
    assert (period.start, period.end, period.label) == (
        datetime.date(*start), datetime.date(*end), label,
    )  # fmt: skip


def test_rolling_year_has_twelve_months():
    assert len(period_from_params({}, today=TODAY).months) == 12


@pytest.mark.parametrize("today", [TODAY, datetime.date(2026, 1, 1), datetime.date(2024, 3, 31)])
def test_rolling_year_is_the_last_twelve_full_months(today):
    """« 12 derniers mois » are twelve whole months ending with the last one: no day of the
    current month, none to come."""
    period = period_from_params({"periode": "12mois"}, today=today)
    assert period.end == today.replace(day=1) - datetime.timedelta(days=1)
    assert period.start == period.months[0] and period.start.day == 1
    assert len(period.months) == 12
    assert period.months[-1] == period.end.replace(day=1)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"periode": "semaine"}, "periode"),
        ({"periode": "mois", "mois": "13"}, "mois"),
        ({"periode": "mois", "mois": "mars"}, "mois"),
        ({"periode": "annee", "annee": "1899"}, "annee"),
        ({"periode": "trimestre", "trimestre": "5"}, "trimestre"),
        ({"periode": "plage", "du": "2026-02-30", "au": "2026-03-01"}, "du"),
        ({"periode": "plage", "du": "2026-03-01", "au": "2026-02-01"}, "au"),
        ({"periode": "plage", "du": "2000-01-01", "au": "2026-02-01"}, "au"),
    ],
)
def test_bad_periods_are_refused_with_a_message(params, field):
    with pytest.raises(PeriodError) as refused:
        period_from_params(params, today=TODAY)
    assert refused.value.field == field and refused.value.message

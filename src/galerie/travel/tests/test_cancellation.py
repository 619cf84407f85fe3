"""The fee schedule: the fee at each boundary date, the schedule's validation, its rows in dates."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from galerie.travel.cancellation import (
    booking_cancellable,
    cancellation_fee,
    cancellation_schedule_rows,
    cancellation_tiers_validate,
)
from galerie.travel.models import TravelPackage, default_cancellation_tiers

DEPARTURE = dt.date(2027, 4, 11)
TIERS = default_cancellation_tiers()


def _on(days_before: int) -> dt.date:
    return DEPARTURE - dt.timedelta(days=days_before)


@pytest.mark.parametrize(
    ("days_before", "percent", "fee"),
    [
        (90, 30, "300.00"),
        (31, 30, "300.00"),
        (30, 30, "300.00"),  # D-30 exactly: still the first tier
        (29, 50, "500.00"),
        (8, 50, "500.00"),  # D-8 exactly: still 50 %
        (7, 90, "900.00"),
        (1, 90, "900.00"),  # the eve of departure: last cancellable day
        (0, 100, "1000.00"),  # departure day: no-show
        (-3, 100, "1000.00"),
    ],
)
def test_fee_at_each_boundary_date(days_before, percent, fee):
    got = cancellation_fee(
        booking_total=Decimal("1000.00"),
        departure_on=DEPARTURE,
        cancel_on=_on(days_before),
        tiers=TIERS,
    )
    assert got == (percent, Decimal(fee))


def test_cancellable_until_the_eve_of_departure_only():
    assert booking_cancellable(departure_on=DEPARTURE, cancel_on=_on(1))
    assert not booking_cancellable(departure_on=DEPARTURE, cancel_on=_on(0))
    assert not booking_cancellable(departure_on=DEPARTURE, cancel_on=_on(-1))


def test_fee_is_exact_to_the_cent_rounded_half_up():
    # 30 % of 1 234.55 = 370.365 → 370.37; the refund is the exact rest.
    percent, fee = cancellation_fee(
        booking_total=Decimal("1234.55"), departure_on=DEPARTURE, cancel_on=_on(45), tiers=TIERS
    )
    assert (percent, fee) == (30, Decimal("370.37"))
    assert Decimal("1234.55") - fee == Decimal("864.18")


def test_days_no_tier_reaches_keep_everything():
    tiers = [{"days_before": 60, "percent": 0}, {"days_before": 15, "percent": 40}]
    assert cancellation_fee(
        booking_total=Decimal("500.00"), departure_on=DEPARTURE, cancel_on=_on(61), tiers=tiers
    ) == (0, Decimal("0.00"))
    assert cancellation_fee(
        booking_total=Decimal("500.00"), departure_on=DEPARTURE, cancel_on=_on(14), tiers=tiers
    ) == (100, Decimal("500.00"))


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([], "liste non vide"),
        ("30%", "liste non vide"),
        ([{"days_before": 30}], "exactement"),
        ([{"days_before": 30, "percent": 30, "x": 1}], "exactement"),
        ([{"days_before": -1, "percent": 30}], "entier de 0 à 730"),
        ([{"days_before": "30", "percent": 30}], "entier de 0 à 730"),
        ([{"days_before": True, "percent": 30}], "entier de 0 à 730"),
        ([{"days_before": 30, "percent": 101}], "pourcentage entier de 0 à 100"),
        ([{"days_before": 30, "percent": 12.5}], "pourcentage entier de 0 à 100"),
        (
            [{"days_before": 8, "percent": 50}, {"days_before": 30, "percent": 90}],
            "décroître strictement (8 puis 30)",
        ),
        (
            [{"days_before": 30, "percent": 30}, {"days_before": 30, "percent": 50}],
            "décroître strictement",
        ),
        (
            [{"days_before": 30, "percent": 50}, {"days_before": 8, "percent": 30}],
            "ne peut coûter moins (50 % puis 30 %)",
        ),
        ([{"days_before": d, "percent": 10} for d in range(11, 0, -1)], "au plus 10 paliers"),
    ],
)
def test_schedule_validation_refuses_with_a_clear_message(tiers, message):
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        cancellation_tiers_validate(tiers)
    assert any(message in text for text in caught.value.messages), caught.value.messages


def test_default_schedule_is_valid():
    assert cancellation_tiers_validate(TIERS) == TIERS


@pytest.mark.django_db
def test_package_clean_reports_the_schedule_field():
    package = TravelPackage(cancellation_tiers=[{"days_before": 5, "percent": 200}])
    with pytest.raises(ValidationError) as caught:
        package.clean()
    assert "cancellation_tiers" in caught.value.message_dict


def test_schedule_rows_in_dates_for_the_default_schedule():
    with translation.override("fr"):
        rows = cancellation_schedule_rows(departure_on=DEPARTURE, tiers=TIERS)
        labels = [row.label for row in rows]
    assert [(r.starts_on, r.ends_on, r.percent) for r in rows] == [
        (None, dt.date(2027, 3, 12), 30),
        (dt.date(2027, 3, 13), dt.date(2027, 4, 3), 50),
        (dt.date(2027, 4, 4), dt.date(2027, 4, 10), 90),
        (DEPARTURE, None, 100),
    ]
    assert labels[0] == "jusqu'au 12 mars 2027 : 30 %"
    assert labels[1] == "du 13 mars 2027 au 3 avril 2027 : 50 %"
    assert labels[3].startswith("à partir du 11 avril 2027 (jour du départ)")
    assert not rows[3].cancellable


def test_schedule_rows_agree_with_the_fee_on_every_day():
    tiers = [{"days_before": 60, "percent": 0}, {"days_before": 1, "percent": 25}]
    rows = cancellation_schedule_rows(departure_on=DEPARTURE, tiers=tiers)
    for days_before in range(0, 100):
        day = _on(days_before)
        row = next(
            r
            for r in rows
            if (r.starts_on is None or r.starts_on <= day)
            and (r.ends_on is None or day <= r.ends_on)
        )
        percent, _fee = cancellation_fee(
            booking_total=Decimal("100"), departure_on=DEPARTURE, cancel_on=day, tiers=tiers
        )
        assert row.percent == percent, day

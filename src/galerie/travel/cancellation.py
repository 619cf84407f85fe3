"""A travel package's cancellation fee schedule: its validation, the fee on a given day, and the
rows shown to the customer before ordering and on the order page.

Boundary rule, the one place it is written (the service, the pages and the API call this):
`days_left` = departure date − cancellation date, in calendar days (Europe/Paris dates). The tiers
are sorted by `days_before`, largest first; the first tier with `days_before <= days_left`
applies. With the default schedule (30 % / D-30, 50 % / D-8, 90 % / D-0):

- cancelling on D-30 or earlier costs 30 %; D-29 to D-8 costs 50 %; D-7 to D-1 costs 90 %;
- on the day of departure or later a booking can no longer be cancelled (a no-show): the fee is
  100 % and `booking_cancellable` says no, so the service refuses with `departure_passed`;
- earlier than the largest tier, that tier still applies (add a `{"days_before": 90,
  "percent": 0}` tier for free cancellation until D-90).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
DAYS_BEFORE_MAX = 730  # two years: a schedule longer than any departure's sale period is a typo
TIERS_MAX = 10


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def cancellation_tiers_validate(tiers) -> list[dict]:
    """The schedule sorted largest `days_before` first, or ValidationError listing every fault.

    A schedule is a non-empty list (10 tiers at most) of {"days_before": int 0…730,
    "percent": int 0…100}; as written, days strictly decrease and percentages never decrease
    (cancelling later never costs less)."""
    if not isinstance(tiers, list) or not tiers:
        raise ValidationError(
            _("Le barème d'annulation est une liste non vide de paliers."), code="tiers_empty"
        )
    if len(tiers) > TIERS_MAX:
        raise ValidationError(
            _("Le barème d'annulation compte au plus %(n)d paliers.") % {"n": TIERS_MAX},
            code="tiers_too_many",
        )
    errors: list[ValidationError] = []
    for position, tier in enumerate(tiers, start=1):
        if not isinstance(tier, dict) or set(tier) != {"days_before", "percent"}:
            errors.append(
                ValidationError(
                    _(
                        "Palier %(n)d : il faut exactement « days_before » (jours avant le "
                        "départ) et « percent » (frais en %%)."
                    )
                    % {"n": position},
                    code="tier_shape",
                )
            )
            continue
        days, percent = tier["days_before"], tier["percent"]
        if not _is_int(days) or not 0 <= days <= DAYS_BEFORE_MAX:
            errors.append(
                ValidationError(
                    _(
                        "Palier %(n)d : le nombre de jours avant le départ est un entier "
                        "de 0 à %(max)d."
                    )
                    % {"n": position, "max": DAYS_BEFORE_MAX},
                    code="tier_days",
                )
            )
        if not _is_int(percent) or not 0 <= percent <= 100:
            errors.append(
                ValidationError(
                    _("Palier %(n)d : les frais sont un pourcentage entier de 0 à 100.")
                    % {"n": position},
                    code="tier_percent",
                )
            )
    if errors:
        raise ValidationError(errors)
    for position, (before, after) in enumerate(zip(tiers, tiers[1:], strict=False), start=2):
        if after["days_before"] >= before["days_before"]:
            errors.append(
                ValidationError(
                    _(
                        "Palier %(n)d : les jours avant le départ doivent décroître strictement "
                        "(%(a)d puis %(b)d)."
                    )
                    % {"n": position, "a": before["days_before"], "b": after["days_before"]},
                    code="tier_order",
                )
            )
        elif after["percent"] < before["percent"]:
            errors.append(
                ValidationError(
                    _(
                        "Palier %(n)d : annuler plus tard ne peut coûter moins "
                        "(%(a)d %% puis %(b)d %%)."
                    )
                    % {"n": position, "a": before["percent"], "b": after["percent"]},
                    code="tier_percent_order",
                )
            )
    if errors:
        raise ValidationError(errors)
    return list(tiers)


def days_left(*, departure_on: dt.date, cancel_on: dt.date) -> int:
    return (departure_on - cancel_on).days


def booking_cancellable(*, departure_on: dt.date, cancel_on: dt.date) -> bool:
    """A booking can be cancelled until the eve of departure (see the module's boundary rule)."""
    return days_left(departure_on=departure_on, cancel_on=cancel_on) >= 1


def cancellation_percent(*, departure_on: dt.date, cancel_on: dt.date, tiers) -> int:
    """The fee percentage on `cancel_on` (100 on the day of departure or later)."""
    left = days_left(departure_on=departure_on, cancel_on=cancel_on)
    if left < 1:
        return 100
    ordered = sorted(tiers, key=lambda tier: tier["days_before"], reverse=True)
    for tier in ordered:
        if tier["days_before"] <= left:
            return int(tier["percent"])
    return 100  # no tier reaches this late: a schedule without a 0-day tier keeps everything


def cancellation_fee(
    *, booking_total: Decimal, departure_on: dt.date, cancel_on: dt.date, tiers
) -> tuple[int, Decimal]:
    """(percent, fee) for cancelling a booking of `booking_total` (TTC) on `cancel_on`: the fee
    is `booking_total × percent / 100` rounded half-up to the cent, never more than the total."""
    total = Decimal(booking_total)
    if total < 0:
        raise ValueError("booking_total is negative")
    percent = cancellation_percent(departure_on=departure_on, cancel_on=cancel_on, tiers=tiers)
    fee = (total * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return percent, min(fee, total)


@dataclass(frozen=True)
class ScheduleRow:
    """One line of the schedule as the customer reads it: cancelling from `starts_on` (None: any
    earlier day) to `ends_on` (inclusive) costs `percent` % of the price; `cancellable` False is
    the departure day onwards."""

    starts_on: dt.date | None
    ends_on: dt.date | None
    percent: int
    cancellable: bool = True

    @property
    def label(self) -> str:
        def day(value: dt.date) -> str:
            return date_format(value, "j F Y")

        if not self.cancellable:
            return _("à partir du %(d)s (jour du départ) : plus d'annulation, %(p)d %% retenus") % {
                "d": day(self.starts_on),
                "p": self.percent,
            }
        if self.starts_on is None:
            return _("jusqu'au %(d)s : %(p)d %%") % {"d": day(self.ends_on), "p": self.percent}
        if self.starts_on == self.ends_on:
            return _("le %(d)s : %(p)d %%") % {"d": day(self.starts_on), "p": self.percent}
        return _("du %(a)s au %(b)s : %(p)d %%") % {
            "a": day(self.starts_on),
            "b": day(self.ends_on),
            "p": self.percent,
        }


def cancellation_schedule_rows(*, departure_on: dt.date, tiers) -> list[ScheduleRow]:
    """The schedule in dates for this departure, earliest first, ending with the departure day
    (no more cancellation). Tiers that cover no cancellable day are left out."""
    ordered = sorted(tiers, key=lambda tier: tier["days_before"], reverse=True)
    rows: list[ScheduleRow] = []
    later_bound: int | None = None  # the previous tier's days_before (exclusive upper bound)
    for tier in ordered:
        low = max(int(tier["days_before"]), 1)
        high = None if later_bound is None else later_bound - 1
        later_bound = int(tier["days_before"])
        if high is not None and high < low:
            continue
        rows.append(
            ScheduleRow(
                starts_on=None if high is None else departure_on - dt.timedelta(days=high),
                ends_on=departure_on - dt.timedelta(days=low),
                percent=int(tier["percent"]),
            )
        )
        if low == 1:
            break
    if ordered and later_bound is not None and later_bound > 1:
        # No tier reaches the last days before departure: they keep everything.
        rows.append(
            ScheduleRow(
                starts_on=departure_on - dt.timedelta(days=later_bound - 1),
                ends_on=departure_on - dt.timedelta(days=1),
                percent=100,
            )
        )
    rows.append(ScheduleRow(starts_on=departure_on, ends_on=None, percent=100, cancellable=False))
    return rows

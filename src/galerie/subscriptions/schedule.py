"""Dates of a press subscription: its terms and the issues each one serves.

Pure functions of dates and plan fields: the services, the renewal run, the notice window and the
property tests all compute the calendar here, one way.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from galerie.core.money import to_money

# Loi Chatel (Code de la consommation, art. L215-1): the notice of tacit renewal reaches the
# customer no earlier than three months and no later than one month before the term's end.
NOTICE_EARLIEST_MONTHS = 3
NOTICE_LATEST_MONTHS = 1


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` calendar months, clamped to the month's last day
    (31 January + 1 → 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def term_end(*, starts_on: dt.date, term_months: int) -> dt.date:
    """The last day (inclusive) of a term starting on `starts_on`."""
    return add_months(starts_on, term_months) - dt.timedelta(days=1)


def first_term_start(*, first_issue_on: dt.date, today: dt.date) -> dt.date:
    """A subscription bought today starts today, or with the publication's first issue if later."""
    return max(today, first_issue_on)


def issue_dates(
    *, first_issue_on: dt.date, issues_per_year: int, start: dt.date, end: dt.date
) -> list[dt.date]:
    """The publication's issue dates within [start, end], both inclusive.

    Monthly rhythms (1, 2, 3, 4, 6, 12 a year) keep the day of the month; 52 and 26 are weekly
    and fortnightly; 312 is a daily published Monday to Saturday, 365 every day; any other count
    spreads its issues evenly over the year.
    """
    if end < start:
        return []
    if 12 % issues_per_year == 0:
        step = 12 // issues_per_year
        # Count months from the first issue so the day of the month never drifts (31 → 28 → 31).
        months = max(
            0, (start.year - first_issue_on.year) * 12 + start.month - first_issue_on.month
        )
        n = max(0, months // step - 1)
        dates = []
        while True:
            day = add_months(first_issue_on, n * step)
            if day > end:
                return dates
            if day >= start:
                dates.append(day)
            n += 1
    if issues_per_year in (52, 26):
        every = dt.timedelta(days=7 if issues_per_year == 52 else 14)
        skip = max(0, (start - first_issue_on).days // every.days)
        day = first_issue_on + every * skip
        dates = []
        while day <= end:
            if day >= start:
                dates.append(day)
            day += every
        return dates
    day = max(start, first_issue_on)
    dates = []
    if issues_per_year >= 312:
        while day <= end:
            if issues_per_year >= 365 or day.weekday() != 6:
                dates.append(day)
            day += dt.timedelta(days=1)
        return dates
    # Even spread: the n-th issue falls n × 365.25 / issues_per_year days after the first.
    n = max(0, int((start - first_issue_on).days * issues_per_year / 365.25) - 1)
    while True:
        day = first_issue_on + dt.timedelta(days=int(n * 365.25 / issues_per_year))
        if day > end:
            return dates
        if day >= start and (not dates or dates[-1] != day):
            dates.append(day)
        n += 1


def notice_window(*, ends_on: dt.date) -> tuple[dt.date, dt.date]:
    """The days (inclusive) on which the tacit-renewal notice for a term ending `ends_on` may go
    out: from three months before the end to one month before it."""
    return (
        add_months(ends_on, -NOTICE_EARLIEST_MONTHS),
        add_months(ends_on, -NOTICE_LATEST_MONTHS),
    )


# Renewal of a tacitly renewed term, and its dunning. The renewal is placed and first charged
# two days before the paid term ends, so that a soft decline leaves a retry before an issue is
# missed; soft declines (insufficient funds) are retried 3, 7 and 14 days after the first attempt.
# The renewal order stays payable by the customer (the order's page) through the day of the last
# retry; the daily run of the next day cancels it: the term fails and the subscription ends with
# its last paid day.
RENEWAL_LEAD_DAYS = 2
RENEWAL_ATTEMPT_OFFSETS = (0, 3, 7, 14)
RENEWAL_ATTEMPTS = len(RENEWAL_ATTEMPT_OFFSETS)


def renewal_first_attempt_on(*, ends_on: dt.date) -> dt.date:
    """The day the renewal of a term ending `ends_on` is placed and first charged."""
    return ends_on - dt.timedelta(days=RENEWAL_LEAD_DAYS)


def renewal_attempt_on(*, renewal_starts_on: dt.date, number: int) -> dt.date:
    """The day attempt `number` (1-based) of a renewal term starting `renewal_starts_on` is due."""
    first = renewal_first_attempt_on(ends_on=renewal_starts_on - dt.timedelta(days=1))
    return first + dt.timedelta(days=RENEWAL_ATTEMPT_OFFSETS[number - 1])


def renewal_last_payable_on(*, renewal_starts_on: dt.date) -> dt.date:
    """The last day the renewal term starting `renewal_starts_on` may be paid: the day of the
    last retry. The daily run of the day after cancels it if it is still unpaid."""
    return renewal_attempt_on(renewal_starts_on=renewal_starts_on, number=RENEWAL_ATTEMPTS)


# Withdrawal (droit de rétractation): 14 days (Code de la consommation, art. L221-18). The
# exception of art. L221-28, 12° covers newspapers and magazines sold per issue, "sauf pour les
# contrats d'abonnement à ces publications": a subscription may be withdrawn from.
WITHDRAWAL_DAYS = 14


def withdrawal_last_day(
    *, medium: str, paid_on: dt.date, first_shipped_on: dt.date | None
) -> dt.date | None:
    """The last day a subscription may be withdrawn from; None while the period has not begun.

    A digital subscription is a service: 14 days from the contract (the first term's payment).
    A print subscription is a regular delivery of goods (L221-18, 3°): 14 days from the receipt
    of the first issue. Receipt is not recorded, so the period runs from its shipment (earlier,
    so never later than the law's); before the first issue ships, it has not begun."""
    if medium == "digital":
        return paid_on + dt.timedelta(days=WITHDRAWAL_DAYS)
    if first_shipped_on is None:
        return None
    return first_shipped_on + dt.timedelta(days=WITHDRAWAL_DAYS)


def pro_rata_unserved(*, price: Decimal, issues: int, served: int) -> Decimal:
    """What is given back of a term's `price` when `served` of its `issues` were shipped: the
    price minus the issues served, pro rata (price × served ÷ issues, to the cent). A withdrawal
    (L221-18) and a renewed term ended under a late notice (L215-1) both use it, one rule."""
    if issues <= 0:
        return price
    kept = to_money(price * served / issues)
    return max(price - kept, Decimal("0.00"))

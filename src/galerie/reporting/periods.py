"""Reporting periods (month, quarter, year, custom range, last 12 months) and their parsing."""

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.errors import DomainError

MONTH_NAMES = [
    gettext_lazy("janvier"), gettext_lazy("février"), gettext_lazy("mars"),
    gettext_lazy("avril"), gettext_lazy("mai"), gettext_lazy("juin"),
    gettext_lazy("juillet"), gettext_lazy("août"), gettext_lazy("septembre"),
    gettext_lazy("octobre"), gettext_lazy("novembre"), gettext_lazy("décembre"),
]  # fmt: skip
MAX_DAYS = 366 * 5


class PeriodError(DomainError):
    code = "period_invalid"


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, year, range, rolling
    start: datetime.date
    end: datetime.date  # included
    label: str

    @property
    def months(self) -> list[datetime.date]:
        """First day of every month the period touches, in order."""
        months, current = [], self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = _next_month(current)
        return months


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def month_label(month: datetime.date) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def period_month(year: int, month: int) -> Period:
    start = datetime.date(year, month, 1)
    return Period("month", start, _last_day(year, month), month_label(start))


def period_quarter(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period(
        "quarter",
        datetime.date(year, first, 1),
        _last_day(year, first + 2),
        (_("1er trimestre %(y)d") if quarter == 1 else _("%(q)de trimestre %(y)d"))
        % {"q": quarter, "y": year},
    )


def period_year(year: int) -> Period:
    return Period(
        "year",
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
        _("année %(y)d") % {"y": year},
    )


def period_rolling(*, today: datetime.date, months: int = 12) -> Period:
    """The last `months` full months: the current month, still under way, is no part of it (the
    « Mois » choice shows it), so the period neither mixes a partial month into its
    monthly figures nor counts days still to come."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1)
    for _i in range(months - 1):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return Period("rolling", start, end, _("les %(n)d derniers mois") % {"n": months})


def period_range(start: datetime.date, end: datetime.date) -> Period:
    if end < start:
        raise PeriodError(_("La date de fin précède la date de début."), field="au")
    if (end - start).days > MAX_DAYS:
        raise PeriodError(_("Choisissez une période de cinq ans au plus."), field="au")
    return Period(
        "range",
        start,
        end,
        _("du %(a)s au %(b)s") % {"a": f"{start:%d/%m/%Y}", "b": f"{end:%d/%m/%Y}"},
    )


def _int(value: str, *, field: str, low: int, high: int, what: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = low - 1
    if not low <= number <= high:
        raise PeriodError(_("%(w)s invalide : « %(v)s ».") % {"w": what, "v": value}, field=field)
    return number


def _date(value: str, *, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        raise PeriodError(
            _("Date invalide : « %(v)s » (format AAAA-MM-JJ).") % {"v": value}, field=field
        ) from None


def period_from_params(params: Mapping[str, str], *, today: datetime.date) -> Period:
    """The period chosen in the picker: ?periode=mois&annee=2026&mois=3, =trimestre&trimestre=2,
    =annee, =plage&du=…&au=…; nothing (or =12mois) is the last twelve months."""
    kind = (params.get("periode") or "12mois").strip()
    if kind == "12mois":
        return period_rolling(today=today)
    year = _int(
        params.get("annee", today.year), field="annee", low=2000, high=2100, what=_("Année")
    )
    if kind == "mois":
        month = _int(params.get("mois", today.month), field="mois", low=1, high=12, what=_("Mois"))
        return period_month(year, month)
    if kind == "trimestre":
        quarter = _int(
            params.get("trimestre", (today.month - 1) // 3 + 1),
            field="trimestre",
            low=1,
            high=4,
            what=_("Trimestre"),
        )
        return period_quarter(year, quarter)
    if kind == "annee":
        return period_year(year)
    if kind == "plage":
        return period_range(
            _date(params.get("du"), field="du"), _date(params.get("au"), field="au")
        )
    raise PeriodError(_("Période inconnue « %(p)s ».") % {"p": kind}, field="periode")

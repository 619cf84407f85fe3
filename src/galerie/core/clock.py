"""The one clock of the runtime: every service, model and automatic timestamp reads the time here.

`now()` is `django.utils.timezone.now()` unless a simulated clock runs in the current context
(`simulated_clock`): the demo's year of trading plays its events at their simulated instants
through the real services, so orders, payments, ledger entries and stock movements carry the
simulated dates. The clock lives in a context variable: nothing is patched, and another thread
or request keeps the real time.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar

from django.db import models
from django.utils import timezone


class SimulatedClock:
    """A clock that only moves forward, when told to."""

    def __init__(self, start: dt.datetime):
        self.current = start

    def now(self) -> dt.datetime:
        return self.current

    def set(self, moment: dt.datetime) -> None:
        self.current = max(self.current, moment)


_simulated: ContextVar[SimulatedClock | None] = ContextVar("galerie_clock", default=None)


def now() -> dt.datetime:
    clock = _simulated.get()
    return clock.now() if clock is not None else timezone.now()


def localdate(value: dt.datetime | None = None) -> dt.date:
    """The date in the current time zone of `value`, by default of `now()`."""
    return timezone.localdate(value if value is not None else now())


def months_add(moment: dt.datetime, months: int) -> dt.datetime:
    """`moment` moved by whole calendar months (negative: back), the day capped at the target
    month's last (31 March + 1 month = 30 April): legal periods counted in months."""
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@contextlib.contextmanager
def simulated_clock(start: dt.datetime) -> Iterator[SimulatedClock]:
    """Within the block, `now()` answers the simulated clock (advanced with `clock.set`)."""
    clock = SimulatedClock(start)
    token = _simulated.set(clock)
    try:
        yield clock
    finally:
        _simulated.reset(token)


class DateTimeField(models.DateTimeField):
    """A DateTimeField whose `auto_now` / `auto_now_add` stamp reads `now()` (Django's reads
    `timezone.now()`, which a simulated clock does not move).

    Only where the value comes from changes, not the column: migrations record it as Django's
    DateTimeField, so adopting it rebuilds no table (SQLite remakes a table on a changed path).
    """

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

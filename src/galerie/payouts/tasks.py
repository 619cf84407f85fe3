"""Background task of payouts: the periodic payout run (schedule it, e.g. weekly, with the task
backend's scheduler or cron calling `galerie payout-run`)."""

import datetime as dt

from galerie.core import clock
from galerie.core.tasks import task


@task()
def payout_run_task(as_of: str | None = None, holdback_percent: str | None = None) -> int:
    """Run the payouts of `as_of` (ISO date, default today); returns how many sellers were paid."""
    from galerie.payouts.services import payout_run

    day = dt.date.fromisoformat(as_of) if as_of else clock.localdate()
    return len(payout_run(as_of=day, holdback_percent=holdback_percent))

"""Background tasks of payments: asynchronous webhook delivery from the simulated provider,
releasing the stock of orders left unpaid past their deadline (their open payments are voided),
and the press subscriptions' daily steps (notices, renewals, dunning, endings)."""

import dataclasses
import datetime as dt

from galerie.core.tasks import task
from galerie.payments import renewals
from galerie.subscriptions import services as subscription_services


@task()
def webhook_deliver(*, raw_body: str) -> str:
    """Deliver one provider event, signed at delivery time like a provider's retry would be."""
    from galerie.payments.services import webhook_deliver_now

    return webhook_deliver_now(raw_body=raw_body)


@task()
def release_expired_orders() -> int:
    from galerie.payments.refunds import orders_release_expired

    return orders_release_expired()


# Press subscriptions' daily steps (galerie.payments.renewals): each is idempotent, so a task run
# twice, or the daily command and a task on the same day, never charges nor e-mails twice.


def _day(date: str | None) -> dt.date | None:
    return dt.date.fromisoformat(date) if date else None


@task()
def subscriptions_daily(*, date: str | None = None) -> dict:
    """Notices, renewals, retries and endings, in that order; returns the counts."""
    return dataclasses.asdict(renewals.subscriptions_daily(today=_day(date)))


@task()
def renewal_notices_send(*, date: str | None = None) -> dict:
    return dataclasses.asdict(renewals.renewal_notices_send(today=_day(date)))


@task()
def renewals_run(*, date: str | None = None) -> dict:
    return dataclasses.asdict(renewals.renewals_run(today=_day(date)))


@task()
def renewal_retries_run(*, date: str | None = None) -> dict:
    return dataclasses.asdict(renewals.renewal_retries_run(today=_day(date)))


@task()
def subscriptions_end_due(*, date: str | None = None) -> int:
    return subscription_services.subscriptions_end_due(today=_day(date))

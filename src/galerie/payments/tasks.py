"""Background tasks of payments: asynchronous webhook delivery from the simulated provider, and
releasing the stock of orders left unpaid past their deadline (their open payments are voided)."""

from django.tasks import task


@task()
def webhook_deliver(*, raw_body: str) -> str:
    """Deliver one provider event, signed at delivery time like a provider's retry would be."""
    from galerie.payments.services import webhook_deliver_now

    return webhook_deliver_now(raw_body=raw_body)


@task()
def release_expired_orders() -> int:
    from galerie.payments.refunds import orders_release_expired

    return orders_release_expired()

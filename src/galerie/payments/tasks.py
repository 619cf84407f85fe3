"""Background tasks of payments: asynchronous webhook delivery from the simulated provider."""

from django.tasks import task


@task()
def webhook_deliver(*, raw_body: str) -> str:
    """Deliver one provider event, signed at delivery time like a provider's retry would be."""
    from galerie.payments.services import webhook_deliver_now

    return webhook_deliver_now(raw_body=raw_body)

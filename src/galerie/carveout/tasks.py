"""Background work of storefront sales (django.tasks): the GDPR notices to customers."""

from galerie.carveout.emails import transfer_notices_send
from galerie.core.tasks import task


@task
def transfer_notices_send_task(*, storefront_id: int) -> int:
    return transfer_notices_send(storefront_id=storefront_id)

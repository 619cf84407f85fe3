"""Background work of the personal-data domain (django.tasks; run daily, e.g. from cron:
`galerie customers-retention`, or enqueue `customers_retention_task`)."""

from galerie.core.tasks import task
from galerie.privacy.services import customers_retention_run


@task
def customers_retention_task() -> dict:
    return customers_retention_run()

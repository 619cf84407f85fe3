"""Background work of the sellers domain (django.tasks; run daily, e.g. from cron:
`galerie sellers-erase-expired`, or enqueue `sellers_erase_expired_task`)."""

from galerie.core.tasks import task
from galerie.sellers.onboarding import sellers_erase_expired


@task
def sellers_erase_expired_task() -> int:
    return sellers_erase_expired()

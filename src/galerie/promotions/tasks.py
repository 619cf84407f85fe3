"""Background work of promotions (django.tasks): hold and restore promotional prices."""

from galerie.core.tasks import task
from galerie.promotions.services import promotions_apply


@task
def promotions_apply_task() -> dict:
    """Start the promotions that began and end those that ended since the last run."""
    return promotions_apply()

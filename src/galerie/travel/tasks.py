"""Travel background tasks (django.tasks), each safe to run twice."""

from galerie.core.tasks import task
from galerie.travel.services import departures_close_past as _close


@task()
def departures_close_past() -> int:
    """Daily: departures on or before today are no longer for sale."""
    return _close()

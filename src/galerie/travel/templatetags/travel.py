"""Template tags of trips: the cancellation schedule of a departure, before and after ordering."""

from django import template

from galerie.travel.models import Departure
from galerie.travel.selectors import departure_schedule_rows

register = template.Library()


def departure_of(value) -> Departure | None:
    """A Departure, or the departure of an offer (None for an offer that is not a trip)."""
    if isinstance(value, Departure):
        return value
    try:
        return value.departure
    except (AttributeError, Departure.DoesNotExist):
        return None


@register.inclusion_tag("travel/_cancellation_schedule.html")
def trip_cancellation_schedule(value):
    """{% trip_cancellation_schedule offer %} or with a departure: its schedule in dates;
    renders nothing for anything that is not a trip."""
    departure = departure_of(value)
    if departure is None:
        return {"schedule": []}
    return {"schedule": departure_schedule_rows(departure)}

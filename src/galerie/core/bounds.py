"""A numeric field's bounds, written once as {field: (min, max)} in its app's limits, and what
reads them: the model's validators, its CHECK constraint and the services' range check naming the
field. Forms and API schemas take the same constants.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext as _

from galerie.core.errors import DomainError

Bounds = dict[str, tuple[Decimal | int, Decimal | int]]
# The largest id a big auto field holds on every database: an id beyond it is no row, and some
# lookups (`pk__in` on SQLite) overflow on it rather than find nothing.
ID_MAX = 2**63 - 1


def bounds_validators(bounds: Bounds, name: str) -> list:
    low, high = bounds[name]
    return [MinValueValidator(low), MaxValueValidator(high)]


def bounds_constraint(
    bounds: Bounds, name: str, *, constraint: str, nullable: bool = False
) -> models.CheckConstraint:
    """The database's last line of defence for one field: min ≤ value ≤ max (or NULL)."""
    low, high = bounds[name]
    condition = models.Q(**{f"{name}__gte": low, f"{name}__lte": high})
    if nullable:
        condition |= models.Q(**{f"{name}__isnull": True})
    return models.CheckConstraint(condition=condition, name=constraint)


def bounds_check(bounds: Bounds, *, error: type[DomainError], **values) -> None:
    """Refuse a value outside its field's bounds, naming the field, before any write. None (a
    field left as it is) and names without bounds pass; a bool, a float or a string does not."""
    for name, value in values.items():
        if name not in bounds or value is None:
            continue
        low, high = bounds[name]
        not_a_number = isinstance(value, bool) or not isinstance(value, int | Decimal)
        if not_a_number or (isinstance(value, Decimal) and not value.is_finite()):
            raise error(
                _("Valeur invalide pour « %(f)s ».") % {"f": name}, code="out_of_range", field=name
            )
        if not (low <= value <= high):
            raise error(
                _("« %(f)s » doit être compris entre %(low)s et %(high)s.")
                % {"f": name, "low": low, "high": high},
                code="out_of_range",
                field=name,
            )

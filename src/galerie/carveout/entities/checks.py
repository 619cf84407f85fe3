"""Checks and fresh values shared by the storefront, catalogue and sellers entity files: a row's
values held to the model's own field rules, and unique slugs that collide given a new value."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from galerie.carveout.archive import ArchiveError


def values_check(obj: models.Model, names, *, what: str, line: int) -> None:
    """Hold `names` of an unsaved instance to their model fields' rules (choices, length, blank,
    validators: the bounds of prices and stock…), as a form would: `bulk_create` checks none of
    them and SQLite does not enforce a length. A value refused is an ArchiveError naming the
    file's line."""
    for name in names:
        model_field = obj._meta.get_field(name)
        value = getattr(obj, model_field.attname)
        try:
            model_field.clean(value, obj)
        except ValidationError as exc:
            raise ArchiveError(
                _("%(what)s, ligne %(line)s : valeur de « %(field)s » invalide (%(value)s).")
                % {"what": what, "line": line, "field": name, "value": str(value)[:40]}
            ) from exc


def fresh_slugs(model: type[models.Model], wanted: list[str], *, field: str = "slug") -> list[str]:
    """`wanted`, each slug already taken here (or earlier in `wanted`) replaced by a free one:
    "slug-2", "slug-3"… within the field's length."""
    max_length = model._meta.get_field(field).max_length
    taken = set(model.objects.filter(**{f"{field}__in": wanted}).values_list(field, flat=True))
    result: list[str] = []
    seen: set[str] = set()
    for slug in wanted:
        if slug not in taken and slug not in seen:
            seen.add(slug)
            result.append(slug)
            continue
        n = 2
        while True:
            suffix = f"-{n}"
            candidate = f"{slug[: max_length - len(suffix)]}{suffix}"
            if candidate not in seen and not model.objects.filter(**{field: candidate}).exists():
                break
            n += 1
        result.append(candidate)
        seen.add(candidate)
    return result

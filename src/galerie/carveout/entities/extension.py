"""Entity files whose every reference must resolve, and rows that extend another one-to-one.

The generic `Entity.build` lets a nullable reference the archive cannot resolve become None; the
travel and press files refuse it instead (a term whose order line went missing would lose what
paid it). A departure or a subscription plan extends an offer, a travel package a product: when
the target already holds that offer or product *with* its extension (a product merged by GTIN
that already is a trip), the archive's row is matched to it and only fills its gaps.
"""

from django.db import models
from django.utils.translation import gettext as _

from galerie.carveout.entities.base import Entity, ImportContext, field_value


class StrictEntity(Entity):
    """Every reference the archive fills must name a row of an earlier entity file."""

    def build(self, row: dict, ctx: ImportContext, *, line: int) -> models.Model:
        for ref, entity in self.refs.items():
            ctx.target(entity, row.get(ref), what=f"{self.name}.{ref}", line=line)
        return super().build(row, ctx, line=line)


def gaps_fill(entity: Entity, target_id: int, row: dict, ctx: ImportContext, *, line: int = 0):
    """Set the target row's empty `entity.gap_fields` (None or "") from the archive's values;
    never overwrite one the target holds. Reports what was filled."""
    target = entity.model.objects.filter(pk=target_id).values(*entity.gap_fields).first()
    if target is None:
        return
    changes = {}
    for name in entity.gap_fields:
        if target[name] in (None, "") and row.get(name) not in (None, ""):
            changes[name] = field_value(entity.model, name, row, what=entity.name, line=line)
    if changes:
        entity.model.objects.filter(pk=target_id).update(**changes)
        ctx.note(
            entity.name,
            _("n° %(id)s rapproché de l'existant n° %(target)s, complété : %(fields)s.")
            % {"id": row["id"], "target": target_id, "fields": ", ".join(sorted(changes))},
        )


class ExtensionEntity(StrictEntity):
    """A row that extends the row its `extends` reference names, one-to-one."""

    extends: str = ""
    gap_fields: tuple[str, ...] = ()

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        entity = self.refs[self.extends]
        mapped = ctx.maps.get(entity, {})
        targets = {row["id"]: mapped.get(row.get(self.extends)) for row in rows}
        wanted = [target for target in targets.values() if target is not None]
        existing = dict(
            self.model.objects.filter(**{f"{self.extends}_id__in": wanted}).values_list(
                f"{self.extends}_id", "pk"
            )
        )
        return {
            source: existing[target] for source, target in targets.items() if target in existing
        }

    def merge(self, target_id: int, row: dict, ctx: ImportContext) -> None:
        gaps_fill(self, target_id, row, ctx)

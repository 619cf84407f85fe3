"""`storefront_import`: take an archived storefront into this installation, empty or not.

Order of work: the archive is verified whole (manifest, checksums, format version) and every
entity's `preflight` runs before anything is written; then each entity file is imported in its
own transaction and recorded as done, so that an interrupted import resumes where it stopped and
importing the same archive again changes nothing. Source ids are mapped to new target ids
(`ImportedRecord`), so nothing collides with the target's rows; products, sellers and customers
that the target already holds are matched and completed, never overwritten, and reported.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from galerie.carveout.archive import ArchiveError, ArchiveReader
from galerie.carveout.bulk import rows_insert
from galerie.carveout.entities import ENTITIES, ENTITY_NAMES
from galerie.carveout.entities.base import Entity, ImportContext, batched, timestamps_kept
from galerie.carveout.models import ArchiveImport, ImportedRecord
from galerie.core import clock


@dataclass
class ImportResult:
    archive_import: ArchiveImport | None
    storefront: object | None
    report: dict = field(default_factory=dict)
    already_done: bool = False
    dry_run: bool = False
    resumed_after: list[str] = field(default_factory=list)


class _DryRun(Exception):
    """Raised at the end of a dry run to roll every write back."""


def storefront_import(
    *,
    path: str | Path,
    rename_slug: str | None = None,
    hosts: list[str] | None = None,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportResult:
    with ArchiveReader(path) as reader:
        manifest = reader.manifest
        unknown = [name for name in manifest.get("entities", []) if name not in ENTITY_NAMES]
        if unknown:
            raise ArchiveError(
                _("L'archive contient des données que cette version ne sait pas lire : %(names)s.")
                % {"names": ", ".join(unknown)}
            )
        existing = ArchiveImport.objects.filter(
            source_installation=manifest["source_installation"],
            manifest_sha256=manifest["checksum"],
        ).first()
        if existing is not None and existing.finished_at is not None:
            return ImportResult(
                archive_import=existing,
                storefront=existing.storefront,
                report=existing.report,
                already_done=True,
            )
        if dry_run:
            try:
                with transaction.atomic():
                    result = _run(reader, existing, rename_slug, hosts, progress)
                    raise _DryRun
            except _DryRun:
                result.dry_run = True
                return result
        return _run(reader, existing, rename_slug, hosts, progress)


def _run(reader, existing, rename_slug, hosts, progress) -> ImportResult:
    manifest = reader.manifest
    archive_import = existing or ArchiveImport(
        source_installation=manifest["source_installation"],
        source_storefront=manifest["storefront"]["slug"],
        manifest_sha256=manifest["checksum"],
    )
    ctx = ImportContext(
        archive_import=archive_import,
        manifest=manifest,
        rename_slug=rename_slug,
        hosts=hosts,
        report=dict(archive_import.report or {}),
    )
    done = list(archive_import.done or [])
    for entity in ENTITIES:
        if entity.name not in done:
            entity.preflight(reader, ctx)
    if archive_import.pk is None:
        archive_import.save()
    for entity in ENTITIES:
        if entity.name in done:
            ctx.maps[entity.name] = dict(
                ImportedRecord.objects.filter(
                    archive_import=archive_import, entity=entity.name
                ).values_list("source_id", "target_id")
            )
            continue
        with transaction.atomic(), timestamps_kept(*entity.timestamped_models()):
            _import_entity(entity, reader, ctx, progress)
            done.append(entity.name)
            archive_import.done = done
            archive_import.report = ctx.report
            archive_import.save(update_fields=["done", "report", "updated_at"])
    with transaction.atomic():
        for entity in ENTITIES:
            entity.finalize(ctx)
        archive_import.finished_at = clock.now()
        archive_import.report = ctx.report
        archive_import.save(update_fields=["finished_at", "report", "updated_at"])
    return ImportResult(
        archive_import=archive_import,
        storefront=archive_import.storefront,
        report=ctx.report,
        resumed_after=list(existing.done) if existing is not None else [],
    )


def _import_entity(entity: Entity, reader, ctx: ImportContext, progress) -> None:
    mapping = ctx.maps.setdefault(entity.name, {})
    summary = ctx.report.setdefault(entity.name, {})
    summary.setdefault("created", 0)
    summary.setdefault("merged", 0)
    expected = reader.count(entity.name)
    seen = 0
    member = f"data/{entity.name}.jsonl"
    for batch in batched(reader.rows(entity.name), entity.batch_size):
        rows = []
        for line, row in batch:
            if not isinstance(row.get("id"), int):
                raise ArchiveError(
                    _("%(member)s, ligne %(line)s : « id » entier attendu.")
                    % {"member": member, "line": line}
                )
            if row["id"] in mapping:
                raise ArchiveError(
                    _("%(member)s, ligne %(line)s : id %(id)s en double.")
                    % {"member": member, "line": line, "id": row["id"]}
                )
            rows.append((line, row))
        matched = entity.match([row for _line, row in rows], ctx)
        new = []
        for line, row in rows:
            target_id = matched.get(row["id"])
            if target_id is not None:
                entity.merge(target_id, row, ctx)
                mapping[row["id"]] = target_id
            else:
                new.append((line, row, entity.build(row, ctx, line=line)))
        try:
            with transaction.atomic():
                entity.save_batch([obj for _line, _row, obj in new], ctx)
        except IntegrityError as exc:
            raise ArchiveError(
                _("%(member)s : les lignes %(first)s à %(last)s ne s'enregistrent pas (%(error)s).")
                % {"member": member, "first": rows[0][0], "last": rows[-1][0], "error": exc}
            ) from exc
        for _line, row, obj in new:
            mapping[row["id"]] = obj.pk
        rows_insert(
            ImportedRecord,
            ["archive_import_id", "entity", "source_id", "target_id", "merged"],
            [
                (
                    ctx.archive_import.pk,
                    entity.name,
                    row["id"],
                    mapping[row["id"]],
                    row["id"] in matched,
                )
                for _line, row in rows
            ],
        )
        entity.after_create([(row, obj) for _line, row, obj in new], ctx)
        summary["created"] += len(new)
        summary["merged"] += len(rows) - len(new)
        seen += len(rows)
        if progress is not None:
            progress(entity.name, seen, expected)
    if progress is not None:
        progress(entity.name, seen, max(seen, expected))

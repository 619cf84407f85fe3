"""`storefront_verify`: prove on the target that an imported archive arrived whole: the rows of
every entity file, the orders' totals, VAT per rate and the ledger balances equal the manifest's."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from galerie.carveout.archive import ArchiveError, ArchiveReader
from galerie.carveout.models import ArchiveImport, ImportedRecord
from galerie.carveout.totals import storefront_totals


@dataclass(frozen=True)
class Check:
    name: str
    expected: object
    found: object

    @property
    def ok(self) -> bool:
        return self.expected == self.found


def _flatten(prefix: str, value) -> dict[str, object]:
    if isinstance(value, dict):
        flat = {}
        for key, inner in value.items():
            flat.update(_flatten(f"{prefix}.{key}" if prefix else str(key), inner))
        return flat
    return {prefix: value}


def storefront_verify(*, path) -> tuple[object, list[Check]]:
    """(target storefront, checks). Raises ArchiveError when the archive is unreadable or was
    never imported here."""
    with ArchiveReader(path) as reader:
        manifest = reader.manifest
    archive_import = ArchiveImport.objects.filter(
        source_installation=manifest["source_installation"],
        manifest_sha256=manifest["checksum"],
        finished_at__isnull=False,
    ).first()
    if archive_import is None or archive_import.storefront is None:
        raise ArchiveError(
            _("Cette archive n'a pas (entièrement) été importée ici : lancez import-storefront.")
        )
    records = dict(
        ImportedRecord.objects.filter(archive_import=archive_import)
        .values("entity")
        .annotate(n=Count("pk"))
        .values_list("entity", "n")
    )
    checks = [
        Check(f"{_('lignes')} {entity}", count, records.get(entity, 0))
        for entity, count in manifest["counts"].items()
    ]
    expected = _flatten("", manifest["totals"])
    found = _flatten("", storefront_totals(storefront=archive_import.storefront))
    for key in sorted(set(expected) | set(found)):
        checks.append(Check(key, expected.get(key), found.get(key)))
    return archive_import.storefront, checks

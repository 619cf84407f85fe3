"""`storefront_export`: write one storefront, whole, into a versioned archive.

The export reads one consistent snapshot (a read-only repeatable-read transaction on
PostgreSQL; a read transaction on SQLite in WAL mode) so that the manifest's totals describe
exactly the rows written, while the storefront keeps selling.
"""

import datetime
from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from galerie.carveout.archive import FORMAT, FORMAT_VERSION, ArchiveWriter, schema_member
from galerie.carveout.entities import ENTITIES
from galerie.carveout.entities.base import Scope
from galerie.carveout.installation import installation_id
from galerie.carveout.totals import storefront_totals
from galerie.catalog.selectors import category_ancestor_ids
from galerie.core import clock
from galerie.core.commands import galerie_version
from galerie.storefronts.selectors import storefront_category_ids

# What the archive never carries, and why (the manifest repeats it for the buyer).
LEFT_OUT = [
    {
        "what": "passwords",
        "why": "Les mots de passe ne quittent pas l'installation : les clients en choisissent "
        "un nouveau chez le repreneur (lien « mot de passe oublié »).",
    },
    {
        "what": "saved_cards",
        "why": "Les cartes enregistrées sont des jetons du prestataire de paiement du cédant ; "
        "le repreneur les recueille à nouveau sous son propre contrat.",
    },
    {
        "what": "seller_api_tokens",
        "why": "Les jetons d'API des vendeurs sont des secrets : chaque vendeur en crée un "
        "nouveau chez le repreneur.",
    },
    {
        "what": "customers_without_orders",
        "why": "Les comptes qui n'ont jamais commandé sur cette boutique ne lui appartiennent pas.",
    },
    {
        "what": "carts",
        "why": "Les paniers en cours sont éphémères ; ils sont vidés par la cession.",
    },
    {
        "what": "payouts",
        "why": "Les versements aux vendeurs sont des opérations de la galerie du cédant, "
        "communes à toutes ses boutiques ; le soldes dus aux vendeurs figurent au grand livre.",
    },
]


def default_cutoff(today: datetime.date | None = None) -> datetime.date:
    """The first day of the current financial year (1 January): the buyer gets every entry of
    the open year and opening balances for the closed ones."""
    today = today or timezone.localdate(clock.now())
    return datetime.date(today.year, 1, 1)


def scope_build(*, storefront, cutoff: datetime.date) -> Scope:
    assortment = storefront_category_ids(storefront)
    return Scope(
        storefront=storefront,
        cutoff=cutoff,
        category_ids=sorted(category_ancestor_ids(assortment)),
    )


def _snapshot(*, outermost: bool) -> None:
    """Read one snapshot on PostgreSQL. Only the transaction's first statement may set it: inside
    a caller's transaction (tests, a dry run) the export reads what that transaction sees."""
    if outermost and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def storefront_export(
    *,
    storefront,
    path: str | Path,
    as_of: datetime.date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict:
    """Write the archive and return its manifest. `progress(entity, rows_done, rows_expected)`
    is called as rows go out. A failed export leaves no file behind."""
    cutoff = as_of or default_cutoff()
    source = installation_id()  # written on first use: before the read-only snapshot
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        _snapshot(outermost=outermost)
        scope = scope_build(storefront=storefront, cutoff=cutoff)
        with ArchiveWriter(path) as archive:
            counts = {}
            for entity in ENTITIES:
                expected = 0
                if progress is not None:
                    expected = entity.queryset(scope).count()
                with archive.entity(entity.name) as out:
                    for row in entity.export_rows(scope):
                        out.write(row)
                        if progress is not None and out.rows % 1000 == 0:
                            progress(entity.name, out.rows, expected)
                if progress is not None:
                    progress(entity.name, out.rows, max(expected, out.rows))
                counts[entity.name] = out.rows
                archive.add_json(schema_member(entity.name), entity.schema())
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "galerie_version": galerie_version(),
                "source_installation": str(source),
                "exported_at": clock.now().isoformat(),
                "storefront": {
                    "slug": storefront.slug,
                    "name": storefront.name,
                    "hosts": sorted(storefront.hosts.values_list("hostname", flat=True)),
                },
                "cutoff": cutoff.isoformat(),
                "counts": counts,
                "totals": storefront_totals(storefront=storefront),
                "left_out": LEFT_OUT,
                "entities": [entity.name for entity in ENTITIES],
            }
            for entity in ENTITIES:
                manifest.update(entity.manifest_extra(scope))
            return archive.finish(manifest)

"""The published JSON Schemas of the storefront archive: one per entity file (`Entity.schema()`,
the same document the export puts into each archive) and one for the manifest, written into a
folder for readers who do not run Galerie (docs/storefront-archive/schemas/).

    uv run python -m galerie.carveout.schemas docs/storefront-archive/schemas

A test keeps the committed files equal to what this module writes.
"""

import json
import sys
from pathlib import Path

from galerie.carveout.archive import DECIMAL_PATTERN, FORMAT, FORMAT_VERSION

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE = f"https://galerie.example/storefront-archive/{FORMAT_VERSION}"
MANIFEST_SCHEMA = "manifest.schema.json"
# An exact decimal written as a string (money, rates, counts in the totals): "129.90", "-3.5", "12".
DECIMAL = {"type": "string", "pattern": DECIMAL_PATTERN}
SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}


def manifest_schema() -> dict:
    """The manifest's JSON Schema, written by hand from what `storefront_export` puts in it."""
    return {
        "$schema": SCHEMA_DRAFT,
        "$id": f"{SCHEMA_BASE}/{MANIFEST_SCHEMA}",
        "title": "manifest",
        "description": "manifest.json of a Galerie storefront archive: what the archive holds, "
        "the figures it promises and the SHA-256 of every other file. Entity files may add "
        "top-level keys of their own (documented in docs/storefront-archive.md).",
        "type": "object",
        "required": [
            "format",
            "format_version",
            "galerie_version",
            "source_installation",
            "exported_at",
            "storefront",
            "cutoff",
            "counts",
            "totals",
            "left_out",
            "entities",
            "files",
            "checksum",
        ],
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {
                "type": "integer",
                "minimum": 1,
                "description": "A reader refuses an archive whose format_version is newer than "
                "the one it reads.",
            },
            "galerie_version": {"type": "string", "description": "Galerie that wrote it."},
            "source_installation": {
                "type": "string",
                "format": "uuid",
                "description": "The exporting installation's id (stable across exports).",
            },
            "exported_at": {"type": "string", "format": "date-time"},
            "storefront": {
                "type": "object",
                "required": ["slug", "name", "hosts"],
                "properties": {
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                    "hosts": {"type": "array", "items": {"type": "string"}},
                },
                "additionalProperties": False,
            },
            "cutoff": {
                "type": "string",
                "format": "date",
                "description": "Accounting cut-off: opening balances at this date, then every "
                "ledger entry on or after it.",
            },
            "counts": {
                "type": "object",
                "description": "Rows per entity file.",
                "additionalProperties": {"type": "integer", "minimum": 0},
            },
            "totals": {
                "type": "object",
                "description": "What verify-storefront checks on the target.",
                "required": ["orders", "vat_by_rate", "ledger_balances"],
                "properties": {
                    "orders": {
                        "type": "object",
                        "required": [
                            "count",
                            "items_total",
                            "delivery_total",
                            "total",
                            "vat_total",
                            "refunded_total",
                        ],
                        "additionalProperties": DECIMAL,
                    },
                    "vat_by_rate": {
                        "type": "object",
                        "description": 'Per VAT rate in percent ("20", "5.5"), followed by '
                        '"/<exemption>" for sales outside the normal scheme ("20/travel_margin"'
                        "): sales TTC and their VAT, goods and delivery.",
                        "propertyNames": {"pattern": r"^\d+(\.\d+)?(/[a-z_]+)?$"},
                        "additionalProperties": {
                            "type": "object",
                            "required": ["ttc", "vat"],
                            "properties": {"ttc": DECIMAL, "vat": DECIMAL},
                            "additionalProperties": False,
                        },
                    },
                    "ledger_balances": {
                        "type": "object",
                        "description": "Debit − credit per general account number.",
                        "additionalProperties": DECIMAL,
                    },
                },
                "additionalProperties": True,
            },
            "left_out": {
                "type": "array",
                "description": "What the archive never carries, and why.",
                "items": {
                    "type": "object",
                    "required": ["what", "why"],
                    "properties": {"what": {"type": "string"}, "why": {"type": "string"}},
                    "additionalProperties": False,
                },
            },
            "entities": {
                "type": "array",
                "description": "Entity files in import order (a file refers only to earlier ones).",
                "items": {"type": "string", "pattern": "^[a-z_]+$"},
            },
            "files": {
                "type": "object",
                "description": "Every other member of the ZIP with its SHA-256 and size in "
                "bytes (and, for data files, its number of rows).",
                "propertyNames": {
                    "pattern": r"^(data/[a-z_]+\.jsonl|schemas/[a-z_]+\.schema\.json)$"
                },
                "additionalProperties": {
                    "type": "object",
                    "required": ["sha256", "bytes"],
                    "properties": {
                        "sha256": SHA256,
                        "bytes": {"type": "integer", "minimum": 0},
                        "rows": {"type": "integer", "minimum": 0},
                    },
                    "additionalProperties": False,
                },
            },
            "checksum": {
                **SHA256,
                "description": "SHA-256 of the manifest without this key, as JSON with sorted "
                "keys, UTF-8, ensure_ascii=False and Python's default separators "
                '(", " and ": ").',
            },
        },
        "additionalProperties": True,
    }


def archive_schemas() -> dict[str, dict]:
    """File name → JSON Schema, for the manifest and every entity file."""
    # Imported here, not at the top: `python -m galerie.carveout.schemas` sets Django up before
    # the entity modules (and their models) can be imported.
    from django.utils import translation

    from galerie.carveout.entities import ENTITIES

    # The schemas' descriptions are the models' verbose names: French, Galerie's language,
    # whatever the locale of the shell that writes them.
    with translation.override("fr"):
        schemas = {MANIFEST_SCHEMA: manifest_schema()}
        for entity in ENTITIES:
            schemas[f"{entity.name}.schema.json"] = entity.schema()
    return schemas


def schema_text(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def schemas_write(*, folder: str | Path) -> list[Path]:
    """Write every schema into `folder` and remove the schemas of entities that no longer exist."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    schemas = archive_schemas()
    for stale in folder.glob("*.schema.json"):
        if stale.name not in schemas:
            stale.unlink()
    written = []
    for name, schema in schemas.items():
        path = folder / name
        path.write_text(schema_text(schema), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m galerie.carveout.schemas FOLDER", file=sys.stderr)
        return 2
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")
    django.setup()
    for path in schemas_write(folder=argv[0]):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

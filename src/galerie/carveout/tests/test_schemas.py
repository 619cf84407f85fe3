"""The archive's published JSON Schemas: the committed copies under docs/ are what the code
writes, and every line of a real export (and its manifest) validates against them."""

import datetime
import json
import uuid
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from galerie.carveout.archive import MANIFEST
from galerie.carveout.entities import ENTITIES
from galerie.carveout.export import storefront_export
from galerie.carveout.schemas import (
    MANIFEST_SCHEMA,
    archive_schemas,
    schema_text,
    schemas_write,
)
from galerie.orders.services import order_place
from galerie.payments.refunds import order_refund
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront
from galerie.testing.subscriptions import ADDRESS, order_pay_by_transfer

COMMITTED = Path(__file__).resolve().parents[4] / "docs" / "storefront-archive" / "schemas"
REGENERATE = "uv run python -m galerie.carveout.schemas docs/storefront-archive/schemas"

# The archive's conventions, stricter than jsonschema's optional format checks: a datetime
# always carries its offset.
formats = FormatChecker(formats=())


@formats.checks("date-time", raises=ValueError)
def _datetime_with_offset(value) -> bool:
    if not isinstance(value, str):
        return True
    return datetime.datetime.fromisoformat(value).utcoffset() is not None


@formats.checks("date", raises=ValueError)
def _date(value) -> bool:
    return not isinstance(value, str) or bool(datetime.date.fromisoformat(value))


@formats.checks("uuid", raises=ValueError)
def _uuid(value) -> bool:
    return not isinstance(value, str) or bool(uuid.UUID(value))


def validator(schema: dict) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=formats)


def test_committed_schemas_are_what_the_code_writes():
    generated = {name: schema_text(schema) for name, schema in archive_schemas().items()}
    committed = {path.name: path.read_text(encoding="utf-8") for path in COMMITTED.glob("*.json")}

    stale = sorted(name for name in set(generated) | set(committed)
                   if generated.get(name) != committed.get(name))  # fmt: skip
    assert not stale, f"out of date: {', '.join(stale)}; run `{REGENERATE}`"


def test_a_schema_per_entity_file_and_the_manifest(tmp_path):
    written = schemas_write(folder=tmp_path)

    assert sorted(path.name for path in written) == sorted(
        [MANIFEST_SCHEMA, *(f"{entity.name}.schema.json" for entity in ENTITIES)]
    )
    for path in written:
        Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_writing_again_removes_the_schema_of_an_entity_that_is_gone(tmp_path):
    (tmp_path / "retired.schema.json").write_text("{}", encoding="utf-8")
    (tmp_path / "README.md").write_text("kept", encoding="utf-8")

    schemas_write(folder=tmp_path)

    assert not (tmp_path / "retired.schema.json").exists()
    assert (tmp_path / "README.md").exists()


def test_the_datetime_convention_is_checked():
    schema = {"type": "string", "format": "date-time"}

    assert validator(schema).is_valid("2026-01-15T10:00:00+01:00")
    assert not validator(schema).is_valid("2026-01-15T10:00:00")


@pytest.fixture
def exported(tmp_path, db) -> Path:
    """A storefront with a product, an offer, and a paid order partly refunded."""
    category = make_category("Audio")
    storefront = make_storefront("hitech", categories=[category])
    offer = make_offer(make_product("Casque", category=category), price="129.90")
    order = order_place(
        storefront=storefront, email="ada@example.fr", lines=[(offer.pk, 2)],
        delivery_choices={}, shipping_address=dict(ADDRESS), billing_address=dict(ADDRESS),
        idempotency_key="schemas-order-1",
    )  # fmt: skip
    order = order_pay_by_transfer(order)
    order_refund(order=order, idempotency_key="schemas-refund-1",
                 lines={order.lines.get().pk: 1})  # fmt: skip
    path = tmp_path / "hitech.zip"
    storefront_export(storefront=storefront, path=path, as_of=datetime.date(2026, 1, 1))
    return path


def test_every_line_of_an_export_validates_against_its_published_schema(exported):
    published = {path.name: json.loads(path.read_text(encoding="utf-8"))
                 for path in COMMITTED.glob("*.json")}  # fmt: skip
    with zipfile.ZipFile(exported) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        errors = [f"manifest: {e.message}" for e in validator(published[MANIFEST_SCHEMA])
                  .iter_errors(manifest)]  # fmt: skip
        for entity in manifest["entities"]:
            schema_name = f"{entity}.schema.json"
            # The schema inside the archive is the published one.
            assert json.loads(archive.read(f"schemas/{schema_name}")) == published[schema_name]
            check = validator(published[schema_name])
            with archive.open(f"data/{entity}.jsonl") as lines:
                for number, line in enumerate(lines, start=1):
                    errors += [f"{entity}.jsonl line {number}: {e.json_path} {e.message}"
                               for e in check.iter_errors(json.loads(line))]  # fmt: skip

    assert errors == []
    assert manifest["totals"]["orders"]["count"] == "1"


def test_a_line_that_breaks_the_conventions_is_caught():
    schema = archive_schemas()[MANIFEST_SCHEMA]
    manifest = {"format": "galerie-storefront-archive", "format_version": 1,
                "cutoff": "01/01/2026", "exported_at": "2026-01-15T10:00:00",
                "totals": {"orders": {"total": 12.5}}}  # fmt: skip

    messages = " | ".join(e.message for e in validator(schema).iter_errors(manifest))

    assert "'01/01/2026' is not a 'date'" in messages
    assert "'2026-01-15T10:00:00' is not a 'date-time'" in messages
    assert "12.5 is not of type 'string'" in messages
    assert "'checksum' is a required property" in messages

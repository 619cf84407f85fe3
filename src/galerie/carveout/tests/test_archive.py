"""The storefront archive on disk: what the writer puts in reads back as written, and an archive
that cannot be trusted (a changed byte, a missing or extra file, an edited manifest, a newer
format, not an archive at all) is refused with a message that says why, before anything is
written, by the import and verify commands alike."""

import datetime
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from galerie.carveout.archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    ArchiveError,
    ArchiveReader,
    ArchiveWriter,
    manifest_checksum,
)
from galerie.carveout.export import storefront_export
from galerie.carveout.importer import storefront_import
from galerie.carveout.models import ArchiveImport, ImportedRecord
from galerie.catalog.models import Product
from galerie.orders.models import Order
from galerie.storefronts.models import Storefront
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront

PRODUCTS = [
    {"id": 11, "title": "Casque « studio »", "gtin": "3760000000017", "price": Decimal("129.90")},
    {"id": 12, "title": "Câble", "gtin": "3760000000024", "price": Decimal("9.99")},
]
OFFERS = [
    {
        "id": 31,
        "product": 11,
        "price": Decimal("129.90"),
        "created_at": datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.UTC),
    }
]
SCHEMA = {"type": "object", "properties": {"id": {"type": "integer"}}}


def manifest_base(**extra) -> dict:
    """The manifest keys the export writes (export.storefront_export), before `files`."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "galerie_version": "Galerie test",
        "source_installation": "6f1c2d3e-0000-4000-8000-000000000001",
        "exported_at": "2026-01-15T10:00:00+01:00",
        "storefront": {"slug": "hitech", "name": "Hi-Tech", "hosts": ["hitech.localhost"]},
        "cutoff": "2026-01-01",
        "counts": {"products": 2, "offers": 1},
        "totals": {"orders": {"count": "0"}, "vat_by_rate": {}, "ledger_balances": {}},
        "left_out": [],
        "entities": [],
        **extra,
    }


def write_archive(path: Path, **manifest_extra) -> dict:
    with ArchiveWriter(path) as archive:
        for name, rows in (("products", PRODUCTS), ("offers", OFFERS)):
            with archive.entity(name) as out:
                for row in rows:
                    out.write(row)
            archive.add_json(f"schemas/{name}.schema.json", SCHEMA)
        return archive.finish(manifest_base(**manifest_extra))


def rewrite(path: Path, *, replace=None, drop=(), add=None) -> None:
    """Rewrite the ZIP member by member: `replace` {member: new bytes}, `drop` members, `add`
    {member: bytes}; the manifest is copied as it is unless replaced (so it no longer matches)."""
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    for name in drop:
        del members[name]
    members.update(replace or {})
    members.update(add or {})
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)


def flip_byte(path: Path, member: str) -> None:
    """Flip one byte in the middle of a member's stored (compressed) data, in the ZIP file
    itself: what a bad disk or a truncated copy does."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    raw = bytearray(path.read_bytes())
    # Local file header: 30 bytes, then the name and the extra field, then the data.
    name_length = int.from_bytes(raw[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    raw[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(raw))


def read_manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(MANIFEST))


def manifest_bytes(manifest: dict, *, reseal: bool) -> bytes:
    if reseal:
        manifest = {**manifest, "checksum": manifest_checksum(manifest)}
    return json.dumps(manifest, ensure_ascii=False, indent=2).encode()


# Each corruption: (what it does to a good archive written by `write_archive`, the message).


def changed_value_json_still_valid(path):
    data = "".join(
        json.dumps({**row, "price": str(row["price"])}, ensure_ascii=False) + "\n"
        for row in [{**PRODUCTS[0], "price": Decimal("1.00")}, PRODUCTS[1]]
    )
    rewrite(path, replace={"data/products.jsonl": data.encode()})


def changed_one_byte_of_member(path):
    with zipfile.ZipFile(path) as archive:
        data = bytearray(archive.read("data/offers.jsonl"))
    data[data.index(b"129.90")] = ord("8")  # 829.90: still valid JSON, one byte apart
    rewrite(path, replace={"data/offers.jsonl": bytes(data)})


def flipped_byte_in_zip(path):
    flip_byte(path, "data/products.jsonl")


def missing_file(path):
    rewrite(path, drop=["data/offers.jsonl"])


def unlisted_file(path):
    rewrite(path, add={"data/customers.jsonl": b'{"id": 1, "email": "x@example.org"}\n'})


def manifest_edited(path):
    manifest = read_manifest(path)
    manifest["cutoff"] = "2025-01-01"
    rewrite(path, replace={MANIFEST: manifest_bytes(manifest, reseal=False)})


def member_and_its_checksum_changed(path):
    """A careful forger changes a file and its SHA-256 in the manifest: the manifest's own
    checksum still gives it away."""
    data = b'{"id":11,"title":"Faux","gtin":"3760000000017","price":"1.00"}\n'
    manifest = read_manifest(path)
    manifest["files"]["data/products.jsonl"]["sha256"] = hashlib.sha256(data).hexdigest()
    rewrite(
        path,
        replace={
            "data/products.jsonl": data,
            MANIFEST: manifest_bytes(manifest, reseal=False),
        },
    )


def newer_format(path):
    manifest = read_manifest(path)
    manifest["format_version"] = FORMAT_VERSION + 1
    rewrite(path, replace={MANIFEST: manifest_bytes(manifest, reseal=True)})


def not_a_zip(path):
    path.write_text("id;title\n1;Casque\n", encoding="utf-8")


def zip_without_manifest(path):
    rewrite(path, drop=[MANIFEST])


def other_zip_with_a_manifest(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(MANIFEST, json.dumps({"name": "my-npm-package", "version": "1.0.0"}))


CORRUPTIONS = [
    (changed_value_json_still_valid, "data/products.jsonl a été modifié"),
    (changed_one_byte_of_member, "data/offers.jsonl a été modifié"),
    (flipped_byte_in_zip, "data/products.jsonl (est altéré|a été modifié)"),
    (missing_file, "data/offers.jsonl, listé dans le manifeste, manque"),
    (unlisted_file, "data/customers.jsonl n'est pas listé dans le manifeste"),
    (manifest_edited, "Le manifeste a été modifié"),
    (member_and_its_checksum_changed, "Le manifeste a été modifié"),
    (newer_format, f"format {FORMAT_VERSION + 1}, plus récent.*mettez Galerie à jour"),
    (not_a_zip, "n'est pas une archive ZIP lisible"),
    (zip_without_manifest, "manque : ce n'est pas une archive de boutique"),
    (other_zip_with_a_manifest, "n'est pas une archive de boutique Galerie"),
]
CORRUPTION_IDS = [corrupt.__name__ for corrupt, _message in CORRUPTIONS]


@pytest.fixture
def good_archive(tmp_path) -> Path:
    path = tmp_path / "hitech.zip"
    write_archive(path)
    return path


def test_written_archive_reads_back_row_for_row(good_archive):
    with ArchiveReader(good_archive) as reader:
        manifest = reader.manifest
        products = list(reader.rows("products"))
        offers = list(reader.rows("offers"))
        absent = list(reader.rows("customers"))
        counts = (reader.count("products"), reader.count("offers"), reader.count("customers"))
        has = (reader.has("products"), reader.has("customers"))

    assert products == [
        (1, {"id": 11, "title": "Casque « studio »", "gtin": "3760000000017", "price": "129.90"}),
        (2, {"id": 12, "title": "Câble", "gtin": "3760000000024", "price": "9.99"}),
    ]
    assert offers == [
        (1, {"id": 31, "product": 11, "price": "129.90", "created_at": "2025-03-01T09:30:00+00:00"})
    ]
    assert absent == []
    assert counts == (2, 1, 0)
    assert has == (True, False)
    assert manifest["checksum"] == manifest_checksum(manifest)
    assert sorted(manifest["files"]) == [
        "data/offers.jsonl",
        "data/products.jsonl",
        "schemas/offers.schema.json",
        "schemas/products.schema.json",
    ]


def test_manifest_lists_each_file_with_its_sha256_size_and_rows(good_archive):
    with zipfile.ZipFile(good_archive) as archive:
        products = archive.read("data/products.jsonl")
        schema = archive.read("schemas/products.schema.json")
    files = read_manifest(good_archive)["files"]

    assert files["data/products.jsonl"] == {
        "sha256": hashlib.sha256(products).hexdigest(),
        "bytes": len(products),
        "rows": 2,
    }
    assert files["schemas/products.schema.json"] == {
        "sha256": hashlib.sha256(schema).hexdigest(),
        "bytes": len(schema),
    }
    assert json.loads(schema) == SCHEMA
    # UTF-8 as is, one compact object per line.
    assert "Casque « studio »".encode() in products
    assert products.count(b"\n") == 2


def test_checksum_is_sha256_of_canonical_manifest_without_checksum(good_archive):
    manifest = read_manifest(good_archive)
    body = {key: value for key, value in manifest.items() if key != "checksum"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False).encode()

    assert manifest["checksum"] == hashlib.sha256(canonical).hexdigest()


@pytest.mark.parametrize(("corrupt", "message"), CORRUPTIONS, ids=CORRUPTION_IDS)
def test_reader_refuses_an_archive_it_cannot_trust(good_archive, corrupt, message):
    corrupt(good_archive)

    with pytest.raises(ArchiveError, match=message):
        ArchiveReader(good_archive)


def test_reader_refuses_a_file_that_does_not_exist(tmp_path):
    with pytest.raises(ArchiveError, match="Archive introuvable"):
        ArchiveReader(tmp_path / "absent.zip")


def test_reader_reports_the_line_of_a_row_that_is_not_json(tmp_path):
    # Checksums only prove the file is the one exported; an exporter bug still gets a line number.
    path = tmp_path / "bad.zip"
    with ArchiveWriter(path) as archive:
        with archive.entity("products") as out:
            out.write(PRODUCTS[0])
            out.flush()  # the writer buffers its lines
            out._stream.write(b"{not json\n")
            out._hash.update(b"{not json\n")  # listed with its checksum, as an exporter bug would
        archive.finish(manifest_base())

    with ArchiveReader(path) as reader, pytest.raises(ArchiveError, match="ligne 2 : JSON"):
        list(reader.rows("products"))


def test_writer_leaves_no_file_when_it_fails_half_way(tmp_path):
    path = tmp_path / "out.zip"

    with pytest.raises(RuntimeError), ArchiveWriter(path) as archive:  # noqa: SIM117
        with archive.entity("products") as out:
            out.write(PRODUCTS[0])
            raise RuntimeError("disk full")

    assert list(tmp_path.iterdir()) == []


def test_writer_leaves_no_file_when_never_finished(tmp_path):
    path = tmp_path / "out.zip"

    with ArchiveWriter(path) as archive, archive.entity("products") as out:
        out.write(PRODUCTS[0])

    assert list(tmp_path.iterdir()) == []


def test_writer_replaces_an_older_archive_only_once_finished(tmp_path):
    path = tmp_path / "out.zip"
    write_archive(path)
    before = path.read_bytes()

    with pytest.raises(RuntimeError), ArchiveWriter(path):
        raise RuntimeError("interrupted")

    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.zip"]


# ---- the import and the commands refuse, and write nothing


def _written() -> tuple[int, ...]:
    return (
        ArchiveImport.objects.count(),
        ImportedRecord.objects.count(),
        Storefront.objects.count(),
        Product.objects.count(),
        Order.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("corrupt", "message"), CORRUPTIONS, ids=CORRUPTION_IDS)
def test_import_refuses_and_writes_nothing(good_archive, corrupt, message):
    corrupt(good_archive)
    before = _written()

    with pytest.raises(ArchiveError, match=message):
        storefront_import(path=good_archive, rename_slug="reprise", hosts=["reprise.localhost"])

    assert _written() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("corrupt", "message"), CORRUPTIONS, ids=CORRUPTION_IDS)
def test_import_command_prints_why_and_fails(good_archive, corrupt, message):
    corrupt(good_archive)
    before = _written()

    with pytest.raises(CommandError, match=message):
        call_command("import_storefront", str(good_archive), no_progress=True)

    assert _written() == before


def test_galerie_import_storefront_exits_non_zero_with_the_message(good_archive, tmp_path):
    newer_format(good_archive)
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")},
        "LANG": "C.UTF-8",
        "GALERIE_VAR_DIR": str(tmp_path / "var"),
    }

    done = subprocess.run(
        [sys.executable, "-m", "galerie.cli", "import-storefront", str(good_archive)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode != 0
    assert "mettez Galerie à jour" in done.stderr


@pytest.mark.django_db
def test_import_dry_run_refuses_a_corrupt_archive_too(good_archive):
    changed_one_byte_of_member(good_archive)

    with pytest.raises(CommandError, match="data/offers.jsonl a été modifié"):
        call_command("import_storefront", str(good_archive), dry_run=True, no_progress=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("corrupt", "message"),
    [CORRUPTIONS[1], CORRUPTIONS[3], CORRUPTIONS[7], CORRUPTIONS[8]],
    ids=[CORRUPTION_IDS[1], CORRUPTION_IDS[3], CORRUPTION_IDS[7], CORRUPTION_IDS[8]],
)
def test_verify_command_prints_why_and_fails(good_archive, corrupt, message):
    corrupt(good_archive)

    with pytest.raises(CommandError, match=message):
        call_command("verify_storefront", str(good_archive))


@pytest.mark.django_db
def test_verify_command_refuses_an_archive_never_imported_here(good_archive):
    with pytest.raises(CommandError, match="n'a pas \\(entièrement\\) été importée ici"):
        call_command("verify_storefront", str(good_archive))


# ---- a real export


@pytest.fixture
def exported(tmp_path, db) -> Path:
    category = make_category("Audio")
    storefront = make_storefront("hitech", categories=[category])
    make_offer(make_product("Casque", category=category), price="129.90")
    path = tmp_path / "hitech.zip"
    storefront_export(storefront=storefront, path=path, as_of=datetime.date(2026, 1, 1))
    return path


def test_an_export_reads_back_intact(exported):
    with ArchiveReader(exported) as reader:
        manifest = reader.manifest

    assert manifest["format"] == FORMAT
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["storefront"]["slug"] == "hitech"
    assert manifest["cutoff"] == "2026-01-01"
    with zipfile.ZipFile(exported) as archive:
        assert sorted(archive.namelist()) == sorted([*manifest["files"], MANIFEST])


def test_an_export_with_a_byte_flipped_on_disk_is_refused_and_nothing_written(exported):
    with zipfile.ZipFile(exported) as archive:
        largest = max(archive.infolist(), key=lambda info: info.compress_size).filename
    flip_byte(exported, largest)
    before = _written()

    with pytest.raises(CommandError, match="altéré|a été modifié|JSON valide"):
        call_command(
            "import_storefront",
            str(exported),
            rename_slug="reprise",
            hosts=["reprise.localhost"],
            no_progress=True,
        )

    assert _written() == before

"""The storefront archive on disk: a ZIP of JSON Lines files, one per entity, and a manifest.

Layout (documented for outside readers in docs/storefront-archive.md):

    manifest.json                  format, versions, source, storefront, cut-off, counts, totals,
                                   SHA-256 of every other file, what was left out and why
    data/<entity>.jsonl            one JSON object per line, in import order
    schemas/<entity>.schema.json   the JSON Schema of one line of data/<entity>.jsonl

The writer streams: rows go through a hash into a deflated member as they come, so memory stays
flat whatever the size. The reader refuses an archive before anything is imported when a member
is missing, unlisted or altered (SHA-256), when the manifest was edited (its own checksum), or
when it comes from a newer format than this installation reads.
"""

import datetime
import hashlib
import json
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from galerie.core.errors import DomainError

FORMAT = "galerie-storefront-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1 << 20
# How `jsonable` writes an exact decimal (money, rates): a string, so no reader rounds it.
DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"


class ArchiveError(DomainError):
    """The archive cannot be read or imported; the message says why. Nothing was written."""


def jsonable(value):
    """A database value as JSON: money and rates as exact strings, dates in ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# One encoder for every line (json.dumps builds a new one per call when given options).
_encode = json.JSONEncoder(default=jsonable, ensure_ascii=False, separators=(",", ":")).encode


# json.loads(bytes) guesses the encoding of every line; the archive's lines are UTF-8.
_decode = json.JSONDecoder().decode


def dumps(row: dict) -> str:
    return _encode(row)


def manifest_checksum(manifest: dict) -> str:
    """SHA-256 of the manifest's canonical JSON without its own `checksum` field."""
    body = {key: value for key, value in manifest.items() if key != "checksum"}
    canonical = json.dumps(body, default=jsonable, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def data_member(entity: str) -> str:
    return f"data/{entity}.jsonl"


def schema_member(entity: str) -> str:
    return f"schemas/{entity}.schema.json"


class EntityWriter:
    """Writes one entity's rows into its member, hashing as it goes. Use through
    `ArchiveWriter.entity()`. Lines are buffered and go to the hash and the deflater in blocks
    of about BLOCK bytes (one compress call per row costs more than the compression itself)."""

    BLOCK = 256 * 1024

    def __init__(self, stream):
        self._stream = stream
        self._hash = hashlib.sha256()
        self._buffer: list[str] = []
        self._buffered = 0
        self.rows = 0
        self.bytes = 0

    def write(self, row: dict) -> None:
        line = _encode(row) + "\n"
        self._buffer.append(line)
        self._buffered += len(line)
        self.rows += 1
        if self._buffered >= self.BLOCK:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        data = "".join(self._buffer).encode()
        self._buffer, self._buffered = [], 0
        self._hash.update(data)
        self._stream.write(data)
        self.bytes += len(data)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


class ArchiveWriter:
    """with ArchiveWriter(path) as archive: with archive.entity("products") as out: out.write(row)
    … then archive.finish(manifest) adds the file list and the checksum and writes the manifest.
    A writer closed without finish() leaves no archive behind."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._partial = self.path.with_name(self.path.name + ".partial")
        self._zip = zipfile.ZipFile(self._partial, "w", compression=zipfile.ZIP_DEFLATED)
        self.files: dict[str, dict] = {}
        self._finished = False

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self._zip.close()
        if self._finished and exc_type is None:
            self._partial.replace(self.path)
        else:
            self._partial.unlink(missing_ok=True)
        return False

    def entity(self, entity: str) -> "_EntityContext":
        return _EntityContext(self, data_member(entity))

    def add_json(self, member: str, document: dict) -> None:
        data = json.dumps(document, ensure_ascii=False, indent=2, default=jsonable).encode()
        self._zip.writestr(member, data)
        self.files[member] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}

    def finish(self, manifest: dict) -> dict:
        manifest = {**manifest, "files": dict(sorted(self.files.items()))}
        manifest["checksum"] = manifest_checksum(manifest)
        data = json.dumps(manifest, ensure_ascii=False, indent=2, default=jsonable).encode()
        self._zip.writestr(MANIFEST, data)
        self._finished = True
        return manifest


class _EntityContext:
    def __init__(self, archive: ArchiveWriter, member: str):
        self.archive, self.member = archive, member

    def __enter__(self) -> EntityWriter:
        info = zipfile.ZipInfo(self.member, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        self._stream = self.archive._zip.open(info, "w", force_zip64=True)
        self.writer = EntityWriter(self._stream)
        return self.writer

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.writer.flush()
        self._stream.close()
        self.archive.files[self.member] = {
            "sha256": self.writer.sha256,
            "bytes": self.writer.bytes,
            "rows": self.writer.rows,
        }
        return False


class ArchiveReader:
    """Opens and verifies an archive: `ArchiveReader(path)` raises ArchiveError unless every
    member listed by an untouched manifest is present and intact and the format is readable."""

    def __init__(self, path: str | Path, *, verify: bool = True):
        self.path = Path(path)
        if not self.path.is_file():
            raise ArchiveError(_("Archive introuvable : %(path)s.") % {"path": self.path})
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ArchiveError(
                _("%(path)s n'est pas une archive ZIP lisible (%(error)s).")
                % {"path": self.path.name, "error": exc}
            ) from exc
        self.manifest = self._read_manifest()
        if verify:
            self.verify()

    def close(self) -> None:
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _read_manifest(self) -> dict:
        try:
            raw = self._zip.read(MANIFEST)
        except KeyError:
            raise ArchiveError(
                _("Le manifeste (%(member)s) manque : ce n'est pas une archive de boutique.")
                % {"member": MANIFEST}
            ) from None
        except (zipfile.BadZipFile, zlib.error, OSError) as exc:
            raise ArchiveError(_("Le manifeste est altéré (%(error)s).") % {"error": exc}) from exc
        try:
            manifest = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ArchiveError(
                _("Le manifeste n'est pas un JSON valide (%(error)s).") % {"error": exc}
            ) from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveError(
                _("Ce fichier n'est pas une archive de boutique Galerie (format attendu : %(f)s).")
                % {"f": FORMAT}
            )
        version = manifest.get("format_version")
        if not isinstance(version, int) or version < 1:
            raise ArchiveError(_("Version de format illisible dans le manifeste."))
        if version > FORMAT_VERSION:
            raise ArchiveError(
                _(
                    "Archive au format %(version)s, plus récent que celui que cette installation "
                    "lit (%(supported)s) : mettez Galerie à jour avant de l'importer."
                )
                % {"version": version, "supported": FORMAT_VERSION}
            )
        if manifest.get("checksum") != manifest_checksum(manifest):
            raise ArchiveError(
                _("Le manifeste a été modifié : son empreinte ne correspond plus à son contenu.")
            )
        if not isinstance(manifest.get("files"), dict):
            raise ArchiveError(_("Le manifeste ne liste pas les fichiers de l'archive."))
        return manifest

    def verify(self) -> None:
        """Every listed member present with its SHA-256; no member that the manifest omits."""
        listed = self.manifest["files"]
        present = {name for name in self._zip.namelist() if not name.endswith("/")}
        for member in sorted(set(listed) - present):
            raise ArchiveError(
                _("Le fichier %(member)s, listé dans le manifeste, manque à l'archive.")
                % {"member": member}
            )
        for member in sorted(present - set(listed) - {MANIFEST}):
            raise ArchiveError(
                _("Le fichier %(member)s n'est pas listé dans le manifeste.") % {"member": member}
            )
        for member, expected in sorted(listed.items()):
            digest = hashlib.sha256()
            try:
                with self._zip.open(member) as stream:
                    while block := stream.read(CHUNK):
                        digest.update(block)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
                raise ArchiveError(
                    _("Le fichier %(member)s est altéré (%(error)s).")
                    % {"member": member, "error": exc}
                ) from exc
            if digest.hexdigest() != expected.get("sha256"):
                raise ArchiveError(
                    _(
                        "Le fichier %(member)s a été modifié : son empreinte SHA-256 ne correspond "
                        "pas à celle du manifeste."
                    )
                    % {"member": member}
                )

    def has(self, entity: str) -> bool:
        return data_member(entity) in self.manifest["files"]

    def count(self, entity: str) -> int:
        return int(self.manifest["files"].get(data_member(entity), {}).get("rows", 0))

    def rows(self, entity: str) -> Iterator[tuple[int, dict]]:
        """(line number, row) of one entity file, streamed; an absent entity yields nothing."""
        member = data_member(entity)
        if member not in self.manifest["files"]:
            return
        with self._zip.open(member) as stream:
            for number, line in enumerate(stream, start=1):
                try:
                    row = _decode(line.decode())
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise ArchiveError(
                        _("%(member)s, ligne %(line)s : JSON invalide (%(error)s).")
                        % {"member": member, "line": number, "error": exc}
                    ) from exc
                if not isinstance(row, dict):
                    raise ArchiveError(
                        _("%(member)s, ligne %(line)s : un objet JSON est attendu.")
                        % {"member": member, "line": number}
                    )
                yield number, row

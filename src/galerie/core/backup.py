"""Backups of a running Galerie: the database and the uploaded media in one tar archive.

SQLite is copied with SQLite's online backup API (a consistent snapshot while the site writes);
PostgreSQL with `pg_dump -Fc`, restored by `pg_restore --clean --if-exists` in one transaction.
The connection's password reaches the PostgreSQL tools through PGPASSWORD, never their command
line (which every user of the machine can read in `ps`).

Archive layout: `galerie-backup.json` (engine, date), `database.sqlite3` or `database.pgdump`,
then `media/…` (MEDIA_ROOT: product pictures and uploads)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.db import connections
from django.utils.translation import gettext as _

from galerie.core import clock

MANIFEST = "galerie-backup.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, nothing was changed."""


def _engine(database: dict) -> str:
    engine = database["ENGINE"]
    if "sqlite3" in engine:
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(
        _("Moteur de base de données non pris en charge : %(engine)s") % {"engine": engine}
    )


def _pg_environment(database: dict) -> dict[str, str]:
    env = {**os.environ, "PGDATABASE": database["NAME"]}
    for key, variable in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST")):
        if database.get(key):
            env[variable] = str(database[key])
    if database.get("PORT"):
        env["PGPORT"] = str(database["PORT"])
    if sslmode := database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return env


def _pg_tool(name: str, args: list[str], database: dict) -> None:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s est introuvable : installez le client PostgreSQL "
                "(paquet postgresql-client)."
            )
            % {"tool": name}
        )
    result = subprocess.run(  # noqa: S603 — fixed arguments, the password in the environment
        [path, *args], env=_pg_environment(database), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s a échoué (code %(code)d) : %(error)s")
            % {"tool": name, "code": result.returncode, "error": result.stderr.strip()[-2000:]}
        )


def _sqlite_raw(alias: str):
    connection = connections[alias]
    connection.ensure_connection()
    return connection.connection


def backup_create(
    *, path: Path, force: bool = False, media_root: Path | None = None, alias: str = "default"
) -> dict:
    """Write the archive at `path` (refused if it exists, unless `force`); `media_root` None
    leaves the media out. Written beside `path` then renamed: a failed backup leaves no file that
    looks complete. Returns the manifest."""
    path = Path(path)
    if path.exists() and not force:
        raise BackupError(_("%(path)s existe déjà (--force pour le remplacer).") % {"path": path})
    if not path.parent.is_dir():
        raise BackupError(_("Le dossier %(path)s n'existe pas.") % {"path": path.parent})
    if media_root is not None and path.resolve().is_relative_to(Path(media_root).resolve()):
        raise BackupError(
            _("L'archive ne peut pas être écrite dans les médias qu'elle sauvegarde (%(media)s).")
            % {"media": media_root}
        )
    database = connections[alias].settings_dict
    engine = _engine(database)
    manifest = {"format": 1, "engine": engine, "created_at": clock.now().isoformat()}
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".galerie-backup-") as work:
        work = Path(work)
        if engine == "sqlite":
            dump = work / SQLITE_MEMBER
            target = sqlite3.connect(dump)
            try:
                _sqlite_raw(alias).backup(target)
            finally:
                target.close()
        else:
            dump = work / POSTGRES_MEMBER
            _pg_tool("pg_dump", ["--format=custom", "--no-owner", f"--file={dump}"], database)
        manifest["media"] = media_root is not None
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = work / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(dump, arcname=dump.name)
            if media_root is not None and Path(media_root).is_dir():
                archive.add(media_root, arcname=MEDIA_PREFIX)
        os.replace(partial, path)
    return manifest


def backup_read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r") as archive:
            member = archive.extractfile(MANIFEST)
            return json.loads(member.read()) if member else {}
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as exc:
        raise BackupError(
            _("%(path)s n'est pas une sauvegarde de Galerie (%(error)s).")
            % {"path": path, "error": exc}
        ) from exc


def backup_restore(
    *,
    path: Path,
    media_root: Path | None = None,
    alias: str = "default",
    database: dict | None = None,
) -> dict:
    """Replace the database's content (`database`: a DATABASES entry, by default `alias`'s) with
    the archive's, then extract its media over `media_root` (None: leave the media alone). An
    archive of the other engine is refused before anything changes."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%(path)s n'existe pas.") % {"path": path})
    manifest = backup_read_manifest(path)
    database = database or connections[alias].settings_dict
    engine = _engine(database)
    if manifest.get("engine") != engine:
        raise BackupError(
            _("Cette sauvegarde est d'une base %(saved)s ; la base configurée est %(current)s.")
            % {"saved": manifest.get("engine"), "current": engine}
        )
    with (
        tempfile.TemporaryDirectory(prefix="galerie-restore-") as work,
        tarfile.open(path) as archive,
    ):
        work = Path(work)
        member = SQLITE_MEMBER if engine == "sqlite" else POSTGRES_MEMBER
        archive.extract(member, work, filter="data")
        if engine == "sqlite":
            source = sqlite3.connect(work / member)
            try:
                source.backup(_sqlite_raw(alias))
            finally:
                source.close()
        else:
            _pg_tool(
                "pg_restore",
                [
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={database['NAME']}",
                    str(work / member),
                ],
                database,
            )
        if media_root is not None:
            media = [m for m in archive.getmembers() if m.name.startswith(f"{MEDIA_PREFIX}/")]
            for item in media:
                item.name = item.name.removeprefix(f"{MEDIA_PREFIX}/")
            Path(media_root).mkdir(parents=True, exist_ok=True)
            archive.extractall(media_root, members=media, filter="data")
    return manifest

"""`galerie backup` / `galerie restore` on the suite's database, SQLite or PostgreSQL: backed-up
rows and media come back after they were changed. On PostgreSQL the restore goes into a scratch
database the test creates (pg_dump and pg_restore must be installed: no skip)."""

import io
import json
import tarfile
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from galerie.core import clock
from galerie.core.backup import backup_restore
from galerie.core.models import ScheduledJob

pytestmark = pytest.mark.django_db(transaction=True)
ON_POSTGRES = connection.vendor == "postgresql"


def _names() -> set[str]:
    return set(ScheduledJob.objects.values_list("name", flat=True))


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "products").mkdir(parents=True)
    (settings.MEDIA_ROOT / "products" / "cover.jpg").write_bytes(b"first picture")
    return settings.MEDIA_ROOT


@pytest.fixture
def scratch_database():
    """A PostgreSQL database of its own for the restore, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield {**connection.settings_dict, "NAME": name}
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _scratch_names(database: dict) -> set[str]:
    with psycopg.connect(
        dbname=database["NAME"],
        user=database["USER"],
        password=database["PASSWORD"] or None,
        host=database["HOST"],
        port=database["PORT"] or None,
    ) as scratch:
        return {row[0] for row in scratch.execute("SELECT name FROM core_scheduledjob")}


def test_backup_then_restore_brings_back_rows_and_media(tmp_path, media, request):
    # Given a backup taken with a row and a picture
    ScheduledJob.objects.create(name="kept", next_run_at=clock.now())
    archive = tmp_path / "galerie.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    # When both change afterwards
    ScheduledJob.objects.filter(name="kept").delete()
    ScheduledJob.objects.create(name="added", next_run_at=clock.now())
    (media / "products" / "cover.jpg").write_bytes(b"overwritten")
    # Then the restore brings the backup's state back
    if ON_POSTGRES:
        database = request.getfixturevalue("scratch_database")
        backup_restore(path=archive, media_root=media, database=database)
        assert _scratch_names(database) == {"kept"}
    else:
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
        assert _names() == {"kept"}
    assert (media / "products" / "cover.jpg").read_bytes() == b"first picture"


def test_backup_refuses_to_overwrite_without_force(tmp_path, media):
    archive = tmp_path / "galerie.tar"
    archive.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("backup", str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == b"an older backup"
    call_command("backup", str(archive), "--force", "--no-media", stdout=io.StringIO())
    with tarfile.open(archive) as written:
        assert not [name for name in written.getnames() if name.startswith("media")]


def test_backup_refuses_to_write_inside_the_media_it_saves(media):
    with pytest.raises(CommandError, match="dans les médias"):
        call_command("backup", str(media / "galerie.tar"), stdout=io.StringIO())
    assert not list(media.glob("*.tar")) and not list(media.glob(".galerie-backup-*"))


def test_restore_asks_for_confirmation_and_changes_nothing_without_it(tmp_path, media, monkeypatch):
    archive = tmp_path / "galerie.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    ScheduledJob.objects.create(name="added", next_run_at=clock.now())
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: --yes is required
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert _names() == {"added"}


def test_restore_refuses_an_archive_of_the_other_engine(tmp_path, media):
    archive = tmp_path / "other.tar"
    manifest = tmp_path / "galerie-backup.json"
    manifest.write_text(json.dumps({"engine": "sqlite" if ON_POSTGRES else "postgresql"}))
    with tarfile.open(archive, "w") as written:
        written.add(manifest, arcname="galerie-backup.json")
    ScheduledJob.objects.create(name="added", next_run_at=clock.now())
    with pytest.raises(CommandError, match="Cette sauvegarde est d'une base"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert _names() == {"added"}


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    archive = tmp_path / "notes.tar"
    archive.write_text("not a tar")
    with pytest.raises(CommandError, match="n'est pas une sauvegarde"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())

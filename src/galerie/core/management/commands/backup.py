"""`galerie backup FILE`: the database and the media in one archive, while the site runs."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.backup import BackupError, backup_create
from galerie.core.commands import GalerieCommand


class Command(GalerieCommand):
    help = gettext_lazy(
        "Sauvegarde la base de données et les médias (MEDIA_ROOT) dans une archive tar, "
        "pendant que le site tourne. SQLite : API de sauvegarde en ligne ; PostgreSQL : "
        "pg_dump -Fc, le mot de passe passant par PGPASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar=_("FICHIER"), help=_("Archive à écrire (.tar)."))
        parser.add_argument(
            "--force", action="store_true", help=_("Remplace le fichier s'il existe déjà.")
        )
        parser.add_argument(
            "--no-media", action="store_true", help=_("Ne sauvegarde que la base de données.")
        )

    def handle(self, *args, path, force=False, no_media=False, **options):
        try:
            manifest = backup_create(
                path=Path(path), force=force, media_root=None if no_media else settings.MEDIA_ROOT
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Sauvegarde %(engine)s écrite : %(path)s (%(size)d octets).")
                % {"engine": manifest["engine"], "path": path, "size": Path(path).stat().st_size}
            )
        )

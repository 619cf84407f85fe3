"""`galerie restore FILE`: put back a `galerie backup` archive, replacing the database's content."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.backup import BackupError, backup_read_manifest, backup_restore
from galerie.core.commands import GalerieCommand


class Command(GalerieCommand):
    help = gettext_lazy(
        "Restaure une archive de galerie backup : remplace tout le contenu de la base de données "
        "configurée, puis remet les médias. Demande confirmation, sauf avec --yes ; arrêtez "
        "d'abord le serveur, le worker et le planificateur."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar=_("FICHIER"), help=_("Archive de galerie backup."))
        parser.add_argument("--yes", action="store_true", help=_("Ne demande pas de confirmation."))
        parser.add_argument(
            "--no-media", action="store_true", help=_("Ne restaure que la base de données.")
        )

    def handle(self, *args, path, yes=False, no_media=False, **options):
        try:
            manifest = backup_read_manifest(Path(path))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        database = settings.DATABASES["default"]
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(
                    _("La restauration remplace toute la base : confirmez avec --yes.")
                )
            answer = input(
                _(
                    "Remplacer tout le contenu de la base %(name)s par la sauvegarde du "
                    "%(date)s ? Tapez « oui » : "
                )
                % {"name": database["NAME"], "date": manifest.get("created_at", "?")}
            )
            if answer.strip().lower() not in {"oui", "yes"}:
                raise CommandError(_("Restauration annulée : rien n'a changé."))
        try:
            backup_restore(path=Path(path), media_root=None if no_media else settings.MEDIA_ROOT)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Base restaurée depuis %(path)s (sauvegarde du %(date)s).")
                % {"path": path, "date": manifest.get("created_at", "?")}
            )
        )

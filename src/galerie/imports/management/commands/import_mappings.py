"""`galerie import-mappings [FILE.csv] [--create]`: seed category mappings for feed imports."""

from django.core.management.base import BaseCommand, CommandError

from galerie.core.errors import DomainError
from galerie.imports.mappings import DEFAULT_MAPPINGS, category_mappings_load


class Command(BaseCommand):
    help = (
        "Charge des correspondances de catégories (flux → catégories de la galerie) "
        "depuis un CSV ; "
        "sans fichier, celles des catégories de gen_feed.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_MAPPINGS))
        parser.add_argument(
            "--create",
            action="store_true",
            help="créer les catégories et types de produit manquants",
        )

    def handle(self, *args, **options):
        try:
            result = category_mappings_load(path=options["file"], create=options["create"])
        except (DomainError, OSError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        if result.errors:
            raise CommandError(
                "Aucune correspondance enregistrée :\n  " + "\n  ".join(result.errors)
            )
        self.stdout.write(
            f"Correspondances : {result.created} créée(s), {result.updated} mise(s) à jour."
        )

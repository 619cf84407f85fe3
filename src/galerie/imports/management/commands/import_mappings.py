"""`galerie import-mappings [FILE.csv] [--create [--allow-similar]]`: seed category mappings.

Feeds whose categories match the mall's tree need none; mappings are for the values that do not
(another taxonomy, other names). A path that names an existing category folded (accents, case,
plurals) or by part of its name (« Casques » → « Casques et écouteurs ») uses it; --create never
creates a category beside a close sibling unless --allow-similar.
"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.core.errors import DomainError
from galerie.imports.mappings import DEFAULT_MAPPINGS, category_mappings_load


class Command(GalerieCommand):
    help = gettext_lazy(
        "Charge des correspondances de catégories (flux → catégories de la galerie) "
        "depuis un CSV ; "
        "sans fichier, celles des catégories de gen_feed.py."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            default=str(DEFAULT_MAPPINGS),
            metavar=_("FICHIER"),
            help=_("CSV des correspondances (par défaut : celles des flux de démonstration)."),
        )
        parser.add_argument(
            "--create",
            action="store_true",
            help=_("Crée les catégories et types de produit manquants."),
        )
        parser.add_argument(
            "--allow-similar",
            action="store_true",
            help=_("Avec --create : crée une catégorie même à côté d'une catégorie au nom proche."),
        )

    def handle(self, *args, **options):
        try:
            result = category_mappings_load(
                path=options["file"],
                create=options["create"],
                allow_similar=options["allow_similar"],
            )
        except (DomainError, OSError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        if result.errors:
            raise CommandError(
                _("Aucune correspondance enregistrée :") + "\n  " + "\n  ".join(result.errors)
            )
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(
            _("Correspondances : %(c)d créée(s), %(u)d mise(s) à jour.")
            % {"c": result.created, "u": result.updated}
        )

"""`galerie merge-shop FEED --as-seller NAME --into STOREFRONT`: absorb an acquired shop.

Its categories are recognised in the mall's tree (folded: accents, case, plurals) without any
mapping; `--create-categories` creates those the mall lacks. Exits with an error, after the
report, when no row came in.
"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.core.errors import DomainError
from galerie.imports.merge import shop_merge
from galerie.imports.progress import ProgressBar
from galerie.imports.reports import report_failure, report_lines
from galerie.storefronts.models import Storefront


class Command(GalerieCommand):
    help = gettext_lazy(
        "Fusionne le catalogue d'une boutique rachetée dans une boutique de la galerie "
        "et affiche le rapport de fusion."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "feed", metavar=_("FLUX"), help=_("Fichier du flux (.tsv, .csv, .xml).")
        )
        parser.add_argument(
            "--as-seller",
            required=True,
            metavar=_("NOM"),
            help=_("Nom de la boutique rachetée, qui devient un vendeur."),
        )
        parser.add_argument(
            "--into",
            required=True,
            metavar="SLUG",
            help=_("Identifiant (slug) de la boutique de la galerie qui l'accueille."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Affiche le rapport sans rien enregistrer.")
        )
        parser.add_argument(
            "--create-categories",
            action="store_true",
            help=_(
                "Crée les catégories de la boutique (product_type) que la galerie n'a pas, sous "
                "leurs parents existants, et les ajoute à l'assortiment."
            ),
        )
        parser.add_argument(
            "--errors",
            metavar=_("FICHIER"),
            help=_("Écrit le rapport d'erreurs ligne par ligne (CSV) dans ce fichier."),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=_("N'affiche pas la barre de progression.")
        )

    def handle(self, *args, **options):
        storefront = Storefront.objects.filter(slug=options["into"]).first()
        if storefront is None:
            raise CommandError(_("Boutique inconnue « %(slug)s ».") % {"slug": options["into"]})
        bar = None if options["no_progress"] or options["verbosity"] < 1 else ProgressBar()
        try:
            report = shop_merge(
                path=options["feed"],
                seller_name=options["as_seller"],
                storefront=storefront,
                dry_run=options["dry_run"],
                create_categories=options["create_categories"],
                errors_path=options["errors"],
                progress=bar,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            if bar:
                bar.close()
        self.stdout.write("\n".join(report_lines(report, merge=True)))
        failure = report_failure(report)
        if failure:
            raise CommandError(failure)

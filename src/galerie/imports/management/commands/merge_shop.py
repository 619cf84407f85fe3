"""`galerie merge-shop FEED --as-seller NAME --into STOREFRONT`: absorb an acquired shop.

Its categories are recognised in the mall's tree (folded: accents, case, plurals) without any
mapping; `--create-categories` creates those the mall lacks. Exits with an error, after the
report, when no row came in.
"""

from django.core.management.base import BaseCommand, CommandError

from galerie.core.errors import DomainError
from galerie.imports.merge import shop_merge
from galerie.imports.progress import ProgressBar
from galerie.imports.reports import report_failure, report_lines
from galerie.storefronts.models import Storefront


class Command(BaseCommand):
    help = (
        "Fusionne le catalogue d'une boutique rachetée dans une boutique de la galerie "
        "et affiche le rapport de fusion."
    )

    def add_arguments(self, parser):
        parser.add_argument("feed")
        parser.add_argument("--as-seller", required=True, help="nom de la boutique rachetée")
        parser.add_argument("--into", required=True, help="identifiant (slug) de la boutique")
        parser.add_argument("--dry-run", action="store_true", help="rapport sans rien écrire")
        parser.add_argument(
            "--create-categories",
            action="store_true",
            help="créer les catégories de la boutique (product_type) que la galerie n'a pas, "
            "sous leurs parents existants, et les ajouter à l'assortiment",
        )
        parser.add_argument("--errors", help="écrire le rapport d'erreurs (CSV) dans ce fichier")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        storefront = Storefront.objects.filter(slug=options["into"]).first()
        if storefront is None:
            raise CommandError(f"Boutique inconnue « {options['into']} ».")
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

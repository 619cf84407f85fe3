"""`galerie export-offers --seller SLUG [-o FILE]`: a seller's offers as a Merchant Center feed."""

from django.core.management.base import BaseCommand, CommandError

from galerie.imports.exports import offers_export
from galerie.sellers.models import Seller


class Command(BaseCommand):
    help = "Exporte les offres actives d'un vendeur au format Google Merchant Center (TSV)."

    def add_arguments(self, parser):
        parser.add_argument("--seller", required=True, help="identifiant (slug) du vendeur")
        parser.add_argument("-o", "--output", help="fichier de sortie (par défaut : la console)")

    def handle(self, *args, **options):
        seller = Seller.objects.filter(slug=options["seller"]).first()
        if seller is None:
            raise CommandError(f"Vendeur inconnu « {options['seller']} ».")
        if options["output"]:
            try:
                with open(options["output"], "w", encoding="utf-8", newline="") as out:
                    count = offers_export(seller=seller, out=out)
            except OSError as exc:
                raise CommandError(f"Écriture impossible : {exc.strerror}.") from exc
            self.stderr.write(f"{count} offre(s) exportée(s) dans {options['output']}.")
        else:
            offers_export(seller=seller, out=self.stdout)

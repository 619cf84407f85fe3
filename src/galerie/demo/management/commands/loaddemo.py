"""`galerie loaddemo [--products N]`: load the demo mall (idempotent, deterministic)."""

from django.core.management.base import BaseCommand, CommandError

from galerie.demo.generator import MAX_PRODUCTS
from galerie.demo.services import DEFAULT_PRODUCTS, demo_load


class Command(BaseCommand):
    help = (
        "Charge la galerie de démonstration : deux boutiques, six vendeurs et N produits avec "
        "leurs offres. Ne crée que ce qui manque : relancer la commande ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=DEFAULT_PRODUCTS,
            help=f"nombre de produits (défaut {DEFAULT_PRODUCTS}, au plus {MAX_PRODUCTS})",
        )

    def handle(self, *args, products, **options):
        if not 0 <= products <= MAX_PRODUCTS:
            raise CommandError(
                f"--products doit être compris entre 0 et {MAX_PRODUCTS} (reçu : {products})."
            )
        result = demo_load(products=products, progress=lambda line: self.stdout.write(f"  {line}"))
        if not result.changed:
            self.stdout.write(
                f"Galerie de démonstration déjà chargée ({products} produits) : rien à faire "
                f"({result.seconds:.2f} s)."
            )
            return
        rate = result.products_created / result.seconds if result.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Galerie de démonstration chargée en {result.seconds:.1f} s : "
                f"{result.products_created} produits, {result.offers_created} offres, "
                f"{result.attribute_values_created} valeurs d'attributs "
                f"({rate:.0f} produits/s ; génération {result.generate_seconds:.1f} s, "
                f"écriture {result.write_seconds:.1f} s, index de recherche "
                f"{result.search_seconds:.1f} s)."
            )
        )

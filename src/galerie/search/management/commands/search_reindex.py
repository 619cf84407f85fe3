"""`galerie search_reindex`: rebuild the product search index (or refresh some products)."""

import time

from django.core.management.base import BaseCommand

from galerie.search.services import search_index_rebuild, search_index_refresh


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche des produits."

    def add_arguments(self, parser):
        parser.add_argument(
            "--product",
            type=int,
            action="append",
            dest="product_ids",
            metavar="ID",
            help="Réindexer seulement ce produit (option répétable).",
        )

    def handle(self, *args, product_ids=None, **options):
        started = time.perf_counter()
        if product_ids:
            search_index_refresh(product_ids=product_ids)
            done = f"Produits réindexés : {len(set(product_ids))}"
        else:
            done = f"Produits indexés : {search_index_rebuild()}"
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{done} ({elapsed:.1f} s)."))

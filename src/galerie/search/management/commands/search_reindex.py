"""`galerie search-reindex`: rebuild the product search index (or refresh some products)."""

import time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.search.services import search_index_rebuild, search_index_refresh


class Command(GalerieCommand):
    help = gettext_lazy("Reconstruit l'index de recherche des produits.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--product",
            type=int,
            action="append",
            dest="product_ids",
            metavar="ID",
            help=_("Réindexer seulement ce produit (option répétable)."),
        )

    def handle(self, *args, product_ids=None, **options):
        started = time.perf_counter()
        if product_ids:
            search_index_refresh(product_ids=product_ids)
            done = _("Produits réindexés : %(count)d") % {"count": len(set(product_ids))}
        else:
            done = _("Produits indexés : %(count)d") % {"count": search_index_rebuild()}
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{done} ({elapsed:.1f} s)."))

"""`galerie facets-rebuild`: recount the listings' precomputed facet counts (all or some)."""

import time

from django.core.management.base import BaseCommand, CommandError

from galerie.catalog.facets import category_facet_counts_rebuild
from galerie.catalog.models import Category
from galerie.core.versions import global_bump


class Command(BaseCommand):
    help = (
        "Recompte les filtres précalculés des listes de produits (toute la galerie, ou les "
        "catégories données), après un chargement en masse hors des services."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--category",
            action="append",
            dest="slugs",
            metavar="SLUG",
            help="Recompter seulement cette catégorie (ses produits directs ; option répétable).",
        )

    def handle(self, *args, slugs=None, **options):
        started = time.perf_counter()
        category_ids = None
        if slugs:
            found = dict(Category.objects.filter(slug__in=slugs).values_list("slug", "pk"))
            unknown = sorted(set(slugs) - found.keys())
            if unknown:
                raise CommandError(f"Catégorie inconnue : {', '.join(unknown)}")
            category_ids = list(found.values())
        rows = category_facet_counts_rebuild(category_ids=category_ids)
        # Cached listings were computed from the old counts.
        global_bump()
        elapsed = time.perf_counter() - started
        done = f"Comptes de filtres écrits : {rows} ({elapsed:.1f} s)."
        self.stdout.write(self.style.SUCCESS(done))

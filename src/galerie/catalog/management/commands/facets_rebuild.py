"""`galerie facets-rebuild`: recount the listings' precomputed facet counts (all or some)."""

import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.catalog.facets import category_facet_counts_rebuild
from galerie.catalog.models import Category
from galerie.core.commands import GalerieCommand
from galerie.core.versions import global_bump


class Command(GalerieCommand):
    help = gettext_lazy(
        "Recompte les filtres précalculés des listes de produits. Toute la galerie, ou les "
        "catégories données ; les services les tiennent à jour, cette commande répare après un "
        "chargement en masse hors des services."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--category",
            action="append",
            dest="slugs",
            metavar="SLUG",
            help=_(
                "Recompter seulement cette catégorie (ses produits directs ; option répétable)."
            ),
        )

    def handle(self, *args, slugs=None, **options):
        started = time.perf_counter()
        category_ids = None
        if slugs:
            found = dict(Category.objects.filter(slug__in=slugs).values_list("slug", "pk"))
            unknown = sorted(set(slugs) - found.keys())
            if unknown:
                raise CommandError(
                    _("Catégorie inconnue : %(slugs)s") % {"slugs": ", ".join(unknown)}
                )
            category_ids = list(found.values())
        rows = category_facet_counts_rebuild(category_ids=category_ids)
        # Cached listings were computed from the old counts.
        global_bump()
        elapsed = time.perf_counter() - started
        done = _("Comptes de filtres écrits : %(rows)d (%(seconds).1f s).") % {
            "rows": rows,
            "seconds": elapsed,
        }
        self.stdout.write(self.style.SUCCESS(done))

"""`galerie loaddemo [--products N]`: load the demo mall (idempotent, deterministic)."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.demo.generator import MAX_PRODUCTS
from galerie.demo.services import DEFAULT_PRODUCTS, demo_load


class Command(GalerieCommand):
    help = gettext_lazy(
        "Charge la galerie de démonstration ; la relancer ne change rien. Deux boutiques, six "
        "vendeurs et N produits avec leurs offres : la commande ne crée que ce qui manque."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=DEFAULT_PRODUCTS,
            metavar="N",
            help=_("Nombre de produits (défaut : %(default)d, au plus %(max)d).")
            % {"default": DEFAULT_PRODUCTS, "max": MAX_PRODUCTS},
        )

    def handle(self, *args, products, **options):
        if not 0 <= products <= MAX_PRODUCTS:
            raise CommandError(
                _("--products doit être compris entre 0 et %(max)d (reçu : %(products)d).")
                % {"max": MAX_PRODUCTS, "products": products}
            )
        result = demo_load(products=products, progress=lambda line: self.stdout.write(f"  {line}"))
        if not result.changed:
            self.stdout.write(
                _(
                    "Galerie de démonstration déjà chargée (%(products)d produits) : rien à faire "
                    "(%(seconds).2f s)."
                )
                % {"products": products, "seconds": result.seconds}
            )
            return
        rate = result.products_created / result.seconds if result.seconds else 0
        done = _(
            "Galerie de démonstration chargée en %(seconds).1f s : %(products)d produits, "
            "%(offers)d offres, %(values)d valeurs d'attributs (%(rate).0f produits/s ; "
            "génération %(generate).1f s, écriture %(write).1f s, index de recherche "
            "%(search).1f s)."
        ) % {
            "seconds": result.seconds,
            "products": result.products_created,
            "offers": result.offers_created,
            "values": result.attribute_values_created,
            "rate": rate,
            "generate": result.generate_seconds,
            "write": result.write_seconds,
            "search": result.search_seconds,
        }
        self.stdout.write(self.style.SUCCESS(done))

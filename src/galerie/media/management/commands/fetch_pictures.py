"""`galerie fetch-pictures`: download the pictures that products only link to (their sellers'
image URLs from before the project kept its own pictures), as a feed import now does."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.media.feeds import linked_pictures_queue


class Command(GalerieCommand):
    help = gettext_lazy(
        "Télécharge en tâche de fond les images que des produits ne font que lier (adresses "
        "des vendeurs) : elles ne sont jamais affichées telles quelles."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=None,
            metavar="N",
            help=_("Au plus N produits (défaut : tous)."),
        )

    def handle(self, *args, limit, **options):
        if limit is not None and limit < 1:
            self.stderr.write(_("--limit : un nombre de produits positif."))
            raise SystemExit(2)
        queued = linked_pictures_queue(limit=limit)
        self.stdout.write(_("%(n)d image(s) en file de téléchargement.") % {"n": queued})

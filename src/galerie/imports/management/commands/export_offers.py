"""`galerie export-offers --seller SLUG [-o FILE]`: a seller's offers as a Merchant Center feed."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.imports.exports import offers_export
from galerie.sellers.models import Seller


class Command(GalerieCommand):
    help = gettext_lazy(
        "Exporte les offres actives d'un vendeur au format Google Merchant Center (TSV)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seller", required=True, metavar="SLUG", help=_("Identifiant (slug) du vendeur.")
        )
        parser.add_argument(
            "-o",
            "--output",
            metavar=_("FICHIER"),
            help=_("Fichier à écrire (par défaut : la sortie standard)."),
        )

    def handle(self, *args, **options):
        seller = Seller.objects.filter(slug=options["seller"]).first()
        if seller is None:
            raise CommandError(_("Vendeur inconnu « %(slug)s ».") % {"slug": options["seller"]})
        if options["output"]:
            try:
                with open(options["output"], "w", encoding="utf-8", newline="") as out:
                    count = offers_export(seller=seller, out=out)
            except OSError as exc:
                raise CommandError(
                    _("Écriture impossible : %(error)s.") % {"error": exc.strerror}
                ) from exc
            self.stderr.write(
                _("%(count)d offre(s) exportée(s) dans %(file)s.")
                % {"count": count, "file": options["output"]}
            )
        else:
            offers_export(seller=seller, out=self.stdout)

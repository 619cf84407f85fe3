"""`galerie import FEED --seller SLUG`: import a Merchant Center feed as the seller's offers.

Exits with an error when no row came in (every row rejected, or no row at all), after printing the
report: a script or a cron job must not take an import of nothing for a success.
"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.core.errors import DomainError
from galerie.imports.models import ImportJob
from galerie.imports.progress import ProgressBar
from galerie.imports.reports import report_failure, report_lines
from galerie.imports.services import BATCH_SIZE, feed_import, import_job_resumable
from galerie.sellers.models import Seller
from galerie.storefronts.models import Storefront


class Command(GalerieCommand):
    help = gettext_lazy(
        "Importe un flux produits (Google Merchant Center, TSV/CSV ou XML) "
        "comme offres d'un vendeur."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "feed", metavar=_("FLUX"), help=_("Fichier du flux (.tsv, .csv, .xml).")
        )
        parser.add_argument(
            "--seller", required=True, metavar="SLUG", help=_("Identifiant (slug) du vendeur.")
        )
        parser.add_argument(
            "--storefront",
            metavar="SLUG",
            help=_(
                "Boutique : ses catégories d'abord entre homonymes ; signale les offres hors de "
                "son assortiment."
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Simule sans rien enregistrer.")
        )
        parser.add_argument(
            "--errors",
            metavar=_("FICHIER"),
            help=_("Écrit le rapport d'erreurs ligne par ligne (CSV) dans ce fichier."),
        )
        parser.add_argument(
            "--full", action="store_true", help=_("Flux complet : désactive les offres absentes.")
        )
        parser.add_argument(
            "--resume",
            type=int,
            metavar="N",
            help=_("Reprend l'import interrompu n° N."),
        )
        parser.add_argument(
            "--restart",
            action="store_true",
            help=_("Ne reprend pas automatiquement un import interrompu du même fichier."),
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            metavar="N",
            help=_("Lignes par transaction (défaut : %(n)d).") % {"n": BATCH_SIZE},
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=_("N'affiche pas la barre de progression.")
        )

    def handle(self, *args, **options):
        seller = Seller.objects.filter(slug=options["seller"]).first()
        if seller is None:
            raise CommandError(_("Vendeur inconnu « %(slug)s ».") % {"slug": options["seller"]})
        storefront = None
        if options["storefront"]:
            storefront = Storefront.objects.filter(slug=options["storefront"]).first()
            if storefront is None:
                raise CommandError(
                    _("Boutique inconnue « %(slug)s ».") % {"slug": options["storefront"]}
                )
        resume = None
        if options["resume"]:
            resume = ImportJob.objects.filter(pk=options["resume"]).first()
            if resume is None:
                raise CommandError(_("Import n° %(n)d introuvable.") % {"n": options["resume"]})
        if resume is None and not options["restart"] and not options["dry_run"]:
            resume = import_job_resumable(seller=seller, path=options["feed"])
            if resume is not None:
                self.stderr.write(
                    _(
                        "Reprise automatique de l'import n° %(n)d après la ligne %(row)d "
                        "(--restart pour repartir de zéro)."
                    )
                    % {"n": resume.pk, "row": resume.last_row}
                )
        bar = None if options["no_progress"] or options["verbosity"] < 1 else ProgressBar()
        try:
            report = feed_import(
                seller=seller,
                path=options["feed"],
                storefront=storefront,
                full=options["full"],
                dry_run=options["dry_run"],
                errors_path=options["errors"],
                resume=resume,
                progress=bar,
                batch_size=options["batch_size"],
            )
        except Exception as exc:
            if bar:
                bar.close()
            message = (
                exc.message
                if isinstance(exc, DomainError)
                else _("Import interrompu : %(e)s") % {"e": exc}
            )
            job = ImportJob.objects.filter(seller=seller).order_by("-pk").first()
            hint = ""
            if (
                job is not None
                and job.status == "failed"
                and job.last_row
                and not options["dry_run"]
            ):
                hint = " " + _(
                    "Les lots déjà validés sont enregistrés (jusqu'à la ligne %(row)d) ; "
                    "reprendre après correction : --resume %(n)d."
                ) % {"row": job.last_row, "n": job.pk}
            raise CommandError(message + hint) from exc
        if bar:
            bar.close()
        self.stdout.write("\n".join(report_lines(report)))
        failure = report_failure(report)
        if failure:
            raise CommandError(failure)

"""`galerie export-storefront SLUG OUT.zip [--as-of DATE]`: write a storefront whole into an
archive that another installation imports (docs/storefront-archive.md)."""

import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.carveout.export import storefront_export
from galerie.carveout.progress import EntityProgress
from galerie.core.commands import GalerieCommand
from galerie.core.errors import DomainError
from galerie.storefronts.models import Storefront


class Command(GalerieCommand):
    help = gettext_lazy(
        "Exporte une boutique entière (catalogue, vendeurs, clients, commandes, comptabilité) "
        "dans une archive versionnée, pour la céder."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG", help=_("Identifiant de la boutique."))
        parser.add_argument("out", metavar=_("ARCHIVE"), help=_("Fichier .zip à écrire."))
        parser.add_argument(
            "--as-of",
            metavar=_("DATE"),
            help=_(
                "Date de coupure comptable (AAAA-MM-JJ) : soldes d'ouverture à cette date, puis "
                "chaque écriture. Par défaut, le 1er janvier de l'année en cours."
            ),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=_("N'affiche pas la barre de progression.")
        )

    def handle(self, *args, **options):
        storefront = Storefront.objects.filter(slug=options["slug"]).first()
        if storefront is None:
            raise CommandError(_("Boutique inconnue « %(slug)s ».") % {"slug": options["slug"]})
        as_of = None
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(
                    _("Date invalide « %(value)s » : format AAAA-MM-JJ attendu.")
                    % {"value": options["as_of"]}
                ) from None
        progress = None if options["no_progress"] or options["verbosity"] < 1 else EntityProgress()
        try:
            manifest = storefront_export(
                storefront=storefront, path=options["out"], as_of=as_of, progress=progress
            )
        except (DomainError, OSError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        counts = manifest["counts"]
        self.stdout.write(
            _("Archive écrite : %(path)s (coupure au %(cutoff)s).")
            % {"path": options["out"], "cutoff": manifest["cutoff"]}
        )
        for entity, rows in counts.items():
            if rows:
                self.stdout.write(f"  {entity:<28} {rows:>10,}".replace(",", " "))
        notices = manifest.get("notices")
        if notices and notices["told"] < notices["customers"]:
            # GDPR: customers are told before their data moves; the export still goes through.
            self.stderr.write(
                _(
                    "Attention : %(told)d client(s) sur %(customers)d ont été prévenus de la "
                    "cession. Lancez d'abord « galerie notify-storefront-customers %(slug)s »."
                )
                % {**notices, "slug": storefront.slug}
            )

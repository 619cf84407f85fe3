"""`galerie import-storefront IN.zip [--rename-slug NEW] [--hosts …] [--dry-run]`: take an
archived storefront into this installation, then print what was created and merged."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.carveout.importer import storefront_import
from galerie.carveout.progress import EntityProgress
from galerie.core.commands import GalerieCommand
from galerie.core.errors import DomainError


class Command(GalerieCommand):
    help = gettext_lazy(
        "Importe une boutique archivée par export-storefront, dans une installation vide ou non, "
        "et affiche le rapport de fusion."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar=_("ARCHIVE"), help=_("Archive .zip à importer."))
        parser.add_argument(
            "--rename-slug",
            metavar=_("NOUVEAU"),
            help=_("Identifiant de la boutique ici, si celui de l'archive est déjà pris."),
        )
        parser.add_argument(
            "--hosts",
            nargs="+",
            metavar=_("HÔTE"),
            help=_("Noms d'hôte de la boutique ici (par défaut, ceux de l'archive)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Vérifie et simule l'import, affiche le rapport, n'enregistre rien."),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=_("N'affiche pas la barre de progression.")
        )

    def handle(self, *args, **options):
        hosts = None
        if options["hosts"]:
            hosts = [h.strip().lower() for raw in options["hosts"] for h in raw.split(",")]
            hosts = [h for h in hosts if h]
        progress = None if options["no_progress"] or options["verbosity"] < 1 else EntityProgress()
        try:
            result = storefront_import(
                path=options["archive"],
                rename_slug=options["rename_slug"],
                hosts=hosts,
                dry_run=options["dry_run"],
                progress=progress,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if result.already_done:
            self.stdout.write(
                _("Cette archive est déjà importée (boutique « %(slug)s ») : rien n'a changé.")
                % {"slug": getattr(result.storefront, "slug", "?")}
            )
            return
        if result.dry_run:
            self.stdout.write(_("Simulation : rien n'a été enregistré."))
        elif result.resumed_after:
            self.stdout.write(
                _("Import repris après : %(names)s.") % {"names": ", ".join(result.resumed_after)}
            )
        for entity, summary in result.report.items():
            created, merged = summary.get("created", 0), summary.get("merged", 0)
            if created or merged:
                self.stdout.write(
                    _("  %(entity)s : %(created)s créé(s), %(merged)s rapproché(s)")
                    % {"entity": entity, "created": created, "merged": merged}
                )
            for note in summary.get("notes", []):
                self.stdout.write(f"    · {note}")
        if result.storefront is not None and not result.dry_run:
            self.stdout.write(
                _("Boutique « %(slug)s » importée.") % {"slug": result.storefront.slug}
            )

"""`galerie moderation-report --year 2026 [-o rapport.csv]`: the year's DSA transparency counts
(art. 15 and 24) as CSV: notices by category, decisions by kind, median hours from notice to
decision, complaints by outcome."""

import csv

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.moderation.selectors import transparency_report


class Command(GalerieCommand):
    help = gettext_lazy(
        "Exporte en CSV les chiffres annuels de modération (DSA, art. 15 et 24) : signalements "
        "par catégorie, décisions par type, délai médian de décision, réclamations et leur issue."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            required=True,
            metavar=_("ANNÉE"),
            help=_("Année civile du rapport."),
        )
        parser.add_argument(
            "-o",
            "--output",
            metavar=_("FICHIER"),
            help=_("Fichier CSV à écrire (par défaut : la sortie standard)."),
        )

    def handle(self, *args, **options):
        year = options["year"]
        if not 2000 <= year <= 9998:
            raise CommandError(_("Année invalide : %(year)s.") % {"year": year})
        report = transparency_report(year=year)
        header = ("section", "key", "value")
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                csv.writer(out).writerows([header, *report.rows()])
            self.stderr.write(_("Rapport écrit dans %(path)s.") % {"path": options["output"]})
        else:
            csv.writer(self.stdout, lineterminator="\n").writerows([header, *report.rows()])

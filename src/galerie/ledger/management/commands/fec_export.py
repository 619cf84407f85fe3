"""`galerie fec-export --from 2026-01-01 --to 2026-12-31 -o 123456789FEC20261231.txt`."""

import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.ledger.errors import LedgerError
from galerie.ledger.fec import fec_export


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Date invalide « %(value)s » : attendu AAAA-MM-JJ.") % {"value": value}
        ) from None


class Command(GalerieCommand):
    help = gettext_lazy(
        "Exporte les écritures comptables d'une période en fichier FEC. Le fichier des écritures "
        "comptables de l'article A47 A-1 du LPF : 18 colonnes séparées par des tabulations ; "
        "nom conseillé : SIRENFECAAAAMMJJ.txt."
    )

    def add_arguments(self, parser):
        day = _("AAAA-MM-JJ")
        parser.add_argument(
            "--from",
            dest="start",
            required=True,
            metavar=day,
            help=_("Premier jour de la période."),
        )
        parser.add_argument(
            "--to", dest="end", required=True, metavar=day, help=_("Dernier jour de la période.")
        )
        parser.add_argument(
            "-o", "--output", required=True, metavar=_("FICHIER"), help=_("Fichier à écrire.")
        )
        parser.add_argument(
            "--encoding",
            default="iso-8859-15",
            metavar=_("CODAGE"),
            help=_("Jeu de caractères (défaut : ISO-8859-15, admis par l'administration)."),
        )

    def handle(self, *args, **options):
        start, end = _date(options["start"]), _date(options["end"])
        if start > end:
            raise CommandError(
                _("Période vide : %(start)s est après %(end)s.") % {"start": start, "end": end}
            )
        try:
            with open(
                options["output"], "w", encoding=options["encoding"], errors="replace", newline=""
            ) as stream:
                count = fec_export(start=start, end=end, stream=stream)
        except (LedgerError, LookupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(count)d lignes d'écriture exportées dans %(file)s.")
            % {"count": count, "file": options["output"]}
        )

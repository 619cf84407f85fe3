"""`galerie fec-export --from 2026-01-01 --to 2026-12-31 -o 123456789FEC20261231.txt`."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from galerie.ledger.errors import LedgerError
from galerie.ledger.fec import fec_export


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Date invalide « {value} » : attendu AAAA-MM-JJ.") from None


class Command(BaseCommand):
    help = (
        "Exporte le fichier des écritures comptables (FEC, art. A47 A-1 du LPF) d'une période : "
        "18 colonnes séparées par des tabulations. Nom conseillé : SIRENFECAAAAMMJJ.txt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="premier jour AAAA-MM-JJ")
        parser.add_argument("--to", dest="end", required=True, help="dernier jour AAAA-MM-JJ")
        parser.add_argument("-o", "--output", required=True, help="fichier à écrire")
        parser.add_argument(
            "--encoding",
            default="iso-8859-15",
            help="jeu de caractères (défaut ISO-8859-15, admis par l'administration)",
        )

    def handle(self, *args, **options):
        start, end = _date(options["start"]), _date(options["end"])
        if start > end:
            raise CommandError(f"Période vide : {start} est après {end}.")
        try:
            with open(
                options["output"], "w", encoding=options["encoding"], errors="replace", newline=""
            ) as stream:
                count = fec_export(start=start, end=end, stream=stream)
        except (LedgerError, LookupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{count} lignes d'écriture exportées dans {options['output']}.")

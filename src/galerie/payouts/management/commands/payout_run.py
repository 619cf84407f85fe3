"""`galerie payout-run [--date YYYY-MM-DD] [--holdback 10] [--sepa FILE] [--statements DIR]`."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from galerie.core import clock
from galerie.core.errors import DomainError
from galerie.payouts.documents import payout_run_sepa_xml, payout_statement_csv
from galerie.payouts.models import PayoutRun
from galerie.payouts.services import payout_run


class Command(BaseCommand):
    help = "Verse aux vendeurs vérifiés ce qui leur est dû (idempotent par date)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="date du versement AAAA-MM-JJ (défaut : aujourd'hui)")
        parser.add_argument("--holdback", help="retenue de garantie en %% (défaut : réglages)")
        parser.add_argument("--sepa", help="écrire le fichier de virements SEPA (pain.001) ici")
        parser.add_argument("--statements", help="écrire les relevés CSV dans ce dossier")

    def handle(self, *args, **options):
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(f"Date invalide « {options['date']} » : AAAA-MM-JJ.") from None
        day = day or clock.localdate()
        try:
            payouts = payout_run(as_of=day, holdback_percent=options["holdback"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        run = PayoutRun.objects.get(as_of=day)
        total = sum(p.amount for p in payouts)
        self.stdout.write(f"{run} : {len(payouts)} versement(s), {total} € au total.")
        for payout in payouts:
            self.stdout.write(f"  {payout.reference} {payout.seller_name} {payout.amount} €")
        if run.notes:
            self.stdout.write("Non payés :\n  " + run.notes.replace("\n", "\n  "))
        if options["sepa"] and payouts:
            Path(options["sepa"]).write_bytes(payout_run_sepa_xml(run=run))
            self.stdout.write(f"Fichier SEPA : {options['sepa']}")
        if options["statements"] and payouts:
            folder = Path(options["statements"])
            folder.mkdir(parents=True, exist_ok=True)
            for payout in payouts:
                (folder / f"{payout.reference}.csv").write_text(
                    payout_statement_csv(payout=payout), encoding="utf-8"
                )
            self.stdout.write(f"Relevés : {folder}/")

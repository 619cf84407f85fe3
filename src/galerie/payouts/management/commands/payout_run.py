"""`galerie payout-run [--date YYYY-MM-DD] [--holdback 10] [--sepa FILE] [--statements DIR]`."""

import datetime as dt
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core import clock
from galerie.core.commands import GalerieCommand
from galerie.core.errors import DomainError
from galerie.core.money import format_money
from galerie.payouts.documents import (
    payout_run_sepa_xml,
    payout_statement_csv,
    payout_statement_pdf,
)
from galerie.payouts.models import PayoutRun
from galerie.payouts.services import payout_run


class Command(GalerieCommand):
    help = gettext_lazy(
        "Verse aux vendeurs vérifiés ce qui leur est dû (idempotent par date). Relancée pour la "
        "même date, la campagne ne paie personne deux fois et réécrit les mêmes fichiers : "
        "virements SEPA (pain.001) et relevés de chaque vendeur en PDF et CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            metavar=_("AAAA-MM-JJ"),
            help=_("Date du versement (défaut : aujourd'hui)."),
        )
        parser.add_argument(
            "--holdback",
            metavar="N",
            help=_("Retenue de garantie en %% (défaut : celle des réglages)."),
        )
        parser.add_argument(
            "--sepa",
            metavar=_("FICHIER"),
            help=_("Écrit le fichier de virements SEPA (pain.001) de la campagne."),
        )
        parser.add_argument(
            "--statements",
            metavar=_("DOSSIER"),
            help=_("Écrit dans ce dossier le relevé de chaque versement, en PDF et en CSV."),
        )

    def handle(self, *args, **options):
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(
                _("Date invalide « %(value)s » : attendu AAAA-MM-JJ.") % {"value": options["date"]}
            ) from None
        day = day or clock.localdate()
        try:
            payouts = payout_run(as_of=day, holdback_percent=options["holdback"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        run = PayoutRun.objects.get(as_of=day)
        total = sum(payout.amount for payout in payouts)
        self.stdout.write(
            _("%(run)s : %(n)d versement(s), %(total)s au total.")
            % {"run": run, "n": len(payouts), "total": format_money(total)}
        )
        for payout in payouts:
            self.stdout.write(
                f"  {payout.reference} {payout.seller_name} {format_money(payout.amount)}"
            )
        if run.notes:
            self.stdout.write(_("Non payés :") + "\n  " + run.notes.replace("\n", "\n  "))
        if not payouts:
            return
        try:
            if options["sepa"]:
                Path(options["sepa"]).write_bytes(payout_run_sepa_xml(run=run))
                self.stdout.write(_("Fichier SEPA : %(file)s") % {"file": options["sepa"]})
            if options["statements"]:
                folder = Path(options["statements"])
                folder.mkdir(parents=True, exist_ok=True)
                for payout in payouts:
                    (folder / f"{payout.reference}.pdf").write_bytes(
                        payout_statement_pdf(payout=payout)
                    )
                    (folder / f"{payout.reference}.csv").write_text(
                        payout_statement_csv(payout=payout), encoding="utf-8"
                    )
                self.stdout.write(_("Relevés (PDF et CSV) : %(folder)s") % {"folder": f"{folder}/"})
        except OSError as exc:
            raise CommandError(
                _(
                    "Écriture impossible : %(error)s (%(file)s). Les versements sont enregistrés ; "
                    "relancez avec --date %(date)s pour écrire les fichiers."
                )
                % {"error": exc.strerror, "file": exc.filename, "date": day.isoformat()}
            ) from exc

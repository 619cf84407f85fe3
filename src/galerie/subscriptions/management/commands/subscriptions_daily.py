"""`galerie subscriptions-daily [--date YYYY-MM-DD] [--enqueue]`: the press subscriptions' day.

Run it once a day from cron (any hour; running it again the same day does nothing more)."""

import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.payments.renewals import subscriptions_daily
from galerie.payments.tasks import subscriptions_daily as subscriptions_daily_task


class Command(GalerieCommand):
    help = gettext_lazy(
        "Abonnements presse, une fois par jour : avis de reconduction (loi Chatel), "
        "renouvellements prélevés sur la carte enregistrée, relances des paiements refusés, "
        "fin des abonnements échus. Relancée le même jour, elle ne prélève ni n'écrit deux fois."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            metavar=_("AAAA-MM-JJ"),
            help=_("Jour traité (défaut : aujourd'hui)."),
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help=_("Met la tâche en file pour les tâches de fond au lieu de la faire ici."),
        )

    def handle(self, *args, **options):
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(
                _("Date invalide « %(value)s » : attendu AAAA-MM-JJ.") % {"value": options["date"]}
            ) from None
        if options["enqueue"]:
            result = subscriptions_daily_task.enqueue(date=day.isoformat() if day else None)
            self.stdout.write(_("Tâche mise en file : %(id)s") % {"id": result.id})
            return
        report = subscriptions_daily(today=day)
        renewals, retries = report.renewals, report.retries
        self.stdout.write(
            _("Avis de reconduction envoyés : %(n)d (dont %(late)d hors délai).")
            % {"n": report.notices.sent, "late": report.notices.late}
        )
        self.stdout.write(
            _(
                "Renouvellements : %(placed)d commandés, %(charged)d payés, %(soft)d refus "
                "temporaires, %(hard)d refus définitifs, %(expired)d cartes expirées, "
                "%(none)d sans carte, %(errors)d en erreur."
            )
            % {
                "placed": renewals.placed,
                "charged": renewals.charged,
                "soft": renewals.soft_declined,
                "hard": renewals.hard_declined,
                "expired": renewals.card_expired,
                "none": renewals.no_card,
                "errors": renewals.errors,
            }
        )
        self.stdout.write(
            _(
                "Relances : %(charged)d payées, %(failed)d refusées, %(closed)d renouvellements "
                "impayés annulés, %(stopped)d arrêtés après résiliation, %(errors)d en erreur."
            )
            % {
                "charged": retries.charged,
                "failed": retries.soft_declined
                + retries.hard_declined
                + retries.card_expired
                + retries.no_card,
                "closed": retries.closed,
                "stopped": retries.stopped,
                "errors": retries.errors,
            }
        )
        self.stdout.write(_("Abonnements terminés : %(n)d.") % {"n": report.ended})

"""`galerie close-past-departures`: take off sale the departures on or before today.

Run it daily from cron, or pass --enqueue to queue the django.tasks task instead.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.travel.services import departures_close_past
from galerie.travel.tasks import departures_close_past as departures_close_past_task


class Command(GalerieCommand):
    help = gettext_lazy("Retire de la vente les départs du jour et passés (sans risque deux fois).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help=_("Met la tâche en file pour les tâches de fond au lieu de la faire ici."),
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = departures_close_past_task.enqueue()
            self.stdout.write(_("Tâche mise en file : %(id)s") % {"id": result.id})
            return
        count = departures_close_past()
        self.stdout.write(_("%(count)d départ(s) retiré(s) de la vente.") % {"count": count})

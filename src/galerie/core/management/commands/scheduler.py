"""`galerie scheduler`: enqueue the periodic maintenance commands when they are due."""

import signal
import threading

from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core import clock
from galerie.core.commands import GalerieCommand
from galerie.core.models import ScheduledJob
from galerie.core.schedule import SCHEDULE, outbox_flush_if_waiting, schedule_run_due


class Command(GalerieCommand):
    help = gettext_lazy(
        "Met en file les commandes de maintenance périodiques quand elles sont dues ; les "
        "tâches de fond (galerie worker) les exécutent. Tourne sans fin, ou une fois avec "
        "--once ; deux planificateurs ne mettent jamais la même exécution en file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help=_("Met en file ce qui est dû, puis s'arrête."),
        )
        parser.add_argument(
            "--interval",
            type=int,
            default=30,
            metavar=_("SECONDES"),
            help=_("Délai entre deux vérifications (défaut : 30)."),
        )
        parser.add_argument(
            "--list",
            action="store_true",
            dest="show_list",
            help=_("Affiche le calendrier et la prochaine exécution de chaque commande."),
        )

    def handle(self, *args, once=False, interval=30, show_list=False, verbosity=1, **options):
        if show_list:
            self._list()
            return
        stop = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda signum, frame: stop.set())
        while True:
            outbox_flush_if_waiting()
            for name in schedule_run_due():
                if verbosity:
                    now = timezone.localtime(clock.now()).isoformat(timespec="seconds")
                    self.stdout.write(
                        _("%(time)s mise en file : %(name)s") % {"time": now, "name": name}
                    )
            self.stdout.flush()
            # SIGTERM lands between two checks: a claim and its enqueue commit together.
            if once or stop.wait(max(1, interval)):
                return
            close_old_connections()  # as after a request: a connection the database dropped

    def _list(self):
        next_runs = dict(ScheduledJob.objects.values_list("name", "next_run_at"))
        for job in SCHEDULE:
            if job.every is not None:
                when = _("toutes les %(minutes)d min") % {
                    "minutes": job.every.total_seconds() // 60
                }
            else:
                when = _("chaque jour à %(time)s") % {"time": job.at.strftime("%H:%M")}
            upcoming = next_runs.get(job.name)
            shown = (
                timezone.localtime(upcoming).isoformat(timespec="minutes")
                if upcoming
                else _("dès le démarrage")
            )
            if not job.when():
                shown = _("désactivée avec cette configuration")
            self.stdout.write(f"{job.name.replace('_', '-'):<24} {when:<24} {shown}")

"""`galerie tasks-flush`: hand the queue what waited in the database while Redis was down."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.core.models import PendingTask
from galerie.core.outbox import outbox_flush


class Command(GalerieCommand):
    help = gettext_lazy(
        "Met en file les tâches gardées en base pendant une panne de Redis et efface du cache "
        "ce que Redis a manqué. À lancer chaque minute (cron ou planificateur) avec REDIS_URL ; "
        "code de sortie 1 tant que Redis ne répond pas."
    )

    def handle(self, *args, **options):
        sent = outbox_flush()
        left = PendingTask.objects.count()
        self.stdout.write(
            _("%(sent)d tâche(s) mise(s) en file, %(left)d en attente.")
            % {"sent": sent, "left": left}
        )
        if left and not sent:
            raise CommandError(_("Redis ne répond pas : les tâches restantes attendent."))

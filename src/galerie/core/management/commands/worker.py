"""`galerie worker`: the background task worker of the configured backend, whatever it is."""

from django.core.management import call_command
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.core.workers import task_worker_argv


class Command(GalerieCommand):
    help = gettext_lazy(
        "Exécute les tâches de fond : db_worker sans REDIS_URL, rqworker avec. SIGTERM (ou "
        "Ctrl-C) l'arrête après la tâche en cours ; un second signal abandonne la tâche."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help=_("Exécute les tâches en attente, puis s'arrête."),
        )

    def handle(self, *args, batch=False, verbosity=1, **options):
        argv = [*task_worker_argv(batch=batch), "--verbosity", str(verbosity)]
        if verbosity:
            self.stdout.write(
                _("Tâches de fond : galerie %(command)s") % {"command": " ".join(argv)}
            )
        # In this process: systemd's or the container's SIGTERM reaches the worker's own handler.
        call_command(*argv, stdout=self.stdout, stderr=self.stderr)

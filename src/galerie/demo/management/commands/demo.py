"""`galerie demo`: migrate, load the demo mall (once), then serve it with a task worker."""

import os
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.demo import DEMO_ENVIRONMENT
from galerie.demo.processes import Children, worker_command
from galerie.demo.services import demo_accounts_ensure


class Command(GalerieCommand):
    help = gettext_lazy(
        "Crée la base, charge la galerie de démonstration et la sert sur http://localhost:PORT/."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=8000, metavar="N", help=_("Port d'écoute (défaut : 8000).")
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            metavar="N",
            help=_("Nombre de processus gunicorn (défaut : 2)."),
        )

    def handle(self, *args, port, workers, **options):
        # `galerie demo` sets these before the settings load (cli.py); the server inherits them.
        os.environ.update(DEMO_ENVIRONMENT)
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("loaddemo", stdout=self.stdout)
        accounts = demo_accounts_ensure(var_dir=settings.VAR_DIR)
        self.stdout.write(f"Base prête en {time.perf_counter() - started:.1f} s.")
        # A year of trading for the finance dashboards: once, in the background (issue 5).
        from galerie.demo.simulation import simulation_launch_for_demo

        simulation_launch_for_demo(write=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Boutiques de démonstration :"))
        from galerie.storefronts.selectors import storefront_list

        self.stdout.write(f"  Galerie marchande (index) : http://localhost:{port}/")
        for storefront in storefront_list():
            host = storefront.hosts.first()
            self.stdout.write(f"  {storefront.name} : http://{host}:{port}/")
        for account in accounts:
            if account.new_password:
                login = (
                    f"{account.login} / {account.new_password}, "
                    f"enregistré dans {account.password_file}"
                )
            else:
                login = f"{account.login}, mot de passe dans {account.password_file}"
            self.stdout.write(
                f"  {account.label} : http://localhost:{port}{account.path} ({login})"
            )
        os.environ.update(
            GALERIE_PUBLIC_SCHEME="http", GALERIE_PUBLIC_PORT=str(port)
        )  # e-mail links
        self.stdout.flush()
        with Children(write=self.stdout.write) as children:
            worker = worker_command()
            process = children.start("worker", worker)
            self.stdout.write(
                f"Tâches en arrière-plan (imports de flux, virements, webhooks) : "
                f"galerie {worker[0]}, processus {process.pid}, arrêté avec la démo."
            )
            self.stdout.flush()
            children.start(
                "server",
                ["serve", "--port", str(port), "--workers", str(workers), "--allow-simulator"],
            )
            exited = children.wait()
        if exited is not None:
            process = children.processes[exited]
            raise CommandError(
                f"« galerie {process.args[3]} » s'est arrêté (code {process.returncode}) : "
                "la démo s'arrête."
            )

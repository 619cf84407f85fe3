"""`galerie serve`: the production server (gunicorn, DEBUG off, static files by WhiteNoise)."""

import os
import socket
import sys

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand


def loopback_binds(host: str, port: int) -> list[str]:
    """Bind addresses for `host`; "localhost" means IPv4 and, where it exists, IPv6 loopback,
    since browsers and curl resolve localhost and *.localhost to either."""
    if host != "localhost":
        return [f"{host}:{port}"]
    binds = [f"127.0.0.1:{port}"]
    if socket.has_ipv6:
        try:
            with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
                probe.bind(("::1", 0))
            binds.append(f"[::1]:{port}")
        except OSError:
            pass
    return binds


class Command(GalerieCommand):
    help = gettext_lazy(
        "Sert la galerie en production avec gunicorn. DEBUG désactivé, fichiers statiques servis "
        "par WhiteNoise ; refuse de démarrer avec GALERIE_PAYMENT_SIMULATOR=1 sans "
        "--allow-simulator."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=8000, metavar="N", help=_("Port d'écoute (défaut : 8000).")
        )
        parser.add_argument(
            "--host",
            default="localhost",
            metavar=_("ADRESSE"),
            help=_("Adresse d'écoute (défaut : localhost, en IPv4 et IPv6)."),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            metavar="N",
            help=_("Nombre de processus gunicorn (défaut : 2)."),
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=1,
            metavar="N",
            help=_("Fils d'exécution par processus (défaut : 1)."),
        )
        parser.add_argument(
            "--allow-simulator",
            action="store_true",
            help=_("Sert même avec GALERIE_PAYMENT_SIMULATOR=1 (démonstration uniquement)."),
        )

    def handle(self, *args, port, host, workers, threads, allow_simulator=False, **options):
        if settings.GALERIE_PAYMENT_SIMULATOR and not allow_simulator:
            raise CommandError(
                _(
                    "GALERIE_PAYMENT_SIMULATOR=1 : la passerelle de carte simulée est active, la "
                    "carte de test 4242 4242 4242 4242 paierait n'importe quelle commande. "
                    "Retirez cette variable en production, ou ajoutez --allow-simulator pour une "
                    "démonstration."
                )
            )
        if settings.DEBUG:
            self.stderr.write(_("GALERIE_DEBUG=1 est ignoré par serve : DEBUG reste désactivé."))
        env = {k: v for k, v in os.environ.items() if k != "GALERIE_DEBUG"}
        env.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")
        # Production logs are JSON lines (docs/operations.md); the request lines come from the
        # application (GALERIE_ACCESS_LOG=1), with their request id and route, not from gunicorn.
        env.setdefault("GALERIE_LOG_FORMAT", "json")
        # Every worker's Prometheus samples, added up by whichever worker answers /metrics;
        # emptied by gunicorn's master at start (galerie.operations.gunicorn_conf). One directory
        # per port: two servers beside each other on one var/ must not empty each other's.
        env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(settings.VAR_DIR / "prometheus" / str(port)))
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "galerie.wsgi:application",
            "--config",
            "python:galerie.operations.gunicorn_conf",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
            "--timeout",
            "60",
        ]
        for bind in loopback_binds(host, port):
            argv += ["--bind", bind]
        self.stdout.write(
            _("Galerie : http://localhost:%(port)d/ (%(workers)d processus)")
            % {"port": port, "workers": workers}
        )
        sys.stdout.flush()
        os.execve(sys.executable, argv, env)

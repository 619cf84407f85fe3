"""`galerie ledger-check`: prove the ledger consistent; exit status 1 with a report otherwise."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.ledger.checks import ledger_check_run


class Command(GalerieCommand):
    help = gettext_lazy(
        "Vérifie que le grand livre est cohérent, et qu'il s'accorde avec les commandes, les "
        "paiements et les versements. Écritures équilibrées, pas de ligne orpheline, balance à "
        "zéro, soldes des comptes égaux à la somme de leurs lignes, numérotation continue ; "
        "code de sortie 1 et rapport en cas d'écart."
    )

    def handle(self, *args, **options):
        results = ledger_check_run()
        failed = [result for result in results if not result.ok]
        for result in results:
            mark = _("OK") if result.ok else _("ÉCHEC")
            self.stdout.write(f"{mark:<5} {result.name}")
            for problem in result.problems:
                self.stdout.write(f"      - {problem}")
        if failed:
            raise CommandError(
                _("%(failed)d contrôle(s) en échec sur %(total)d : %(names)s")
                % {
                    "failed": len(failed),
                    "total": len(results),
                    "names": ", ".join(result.name for result in failed),
                }
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Grand livre cohérent (%(total)d contrôles).") % {"total": len(results)}
            )
        )

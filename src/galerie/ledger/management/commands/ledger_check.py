"""`galerie ledger-check`: prove the ledger consistent; exit status 1 with a report otherwise."""

from django.core.management.base import BaseCommand, CommandError

from galerie.ledger.checks import ledger_check_run


class Command(BaseCommand):
    help = (
        "Vérifie le grand livre : écritures équilibrées, pas de ligne orpheline, balance à zéro, "
        "soldes des comptes égaux à la somme de leurs lignes, numérotation continue."
    )

    def handle(self, *args, **options):
        results = ledger_check_run()
        failed = [result for result in results if not result.ok]
        for result in results:
            mark = "OK  " if result.ok else "ÉCHEC"
            self.stdout.write(f"{mark} {result.name}")
            for problem in result.problems:
                self.stdout.write(f"      - {problem}")
        if failed:
            raise CommandError(
                f"{len(failed)} contrôle(s) en échec sur {len(results)} : "
                + ", ".join(result.name for result in failed)
            )
        self.stdout.write(self.style.SUCCESS(f"Grand livre cohérent ({len(results)} contrôles)."))

"""`galerie simulate --months 12 [--seed N] [--scale X]`: a backdated year of trading."""

import time

from django.core.management.base import BaseCommand, CommandError

from galerie.core.errors import DomainError
from galerie.demo.simulation import simulate, simulation_exists


class Command(BaseCommand):
    help = (
        "Génère des mois d'activité passés (commandes, paiements, expéditions, annulations, "
        "remboursements, versements, coûts fixes) au travers des vrais services."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiplie le nombre de commandes."
        )
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="Ne fait rien si une simulation a déjà eu lieu (utilisé par galerie demo).",
        )
        parser.add_argument(
            "--again", action="store_true", help="Simule même si une simulation a déjà eu lieu."
        )

    def handle(self, *args, months, seed, scale, if_needed, again, **options):
        if simulation_exists() and not again:
            if if_needed:
                self.stdout.write("Activité déjà simulée : rien à faire.")
                return
            raise CommandError(
                "Une simulation a déjà eu lieu sur cette base : --again pour en ajouter une autre."
            )
        started = time.perf_counter()
        self.stdout.write(f"Simulation de {months} mois d'activité (graine {seed}) …")
        try:
            run, result = simulate(
                months=months, seed=seed, scale=scale, progress=self.stdout.write
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.orders_placed} commandes ({result.orders_paid} payées, "
                f"{result.payments_declined} cartes refusées, {result.transfers_expired} "
                f"virements jamais reçus), {result.deliveries} colis livrés, "
                f"{result.customer_cancellations + result.seller_cancellations} annulations, "
                f"{result.returns} retours, {result.payouts} versements, "
                f"{result.fixed_costs} coûts fixes en {time.perf_counter() - started:.1f} s."
            )
        )
        if result.refused:
            refused = ", ".join(f"{code} × {n}" for code, n in sorted(result.refused.items()))
            self.stdout.write(f"Refus des services (normaux en activité réelle) : {refused}")

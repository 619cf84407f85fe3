"""`galerie simulate --months 12 [--seed N] [--scale X]`: a backdated year of trading."""

import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.core.errors import DomainError
from galerie.demo.simulation import simulate, simulation_exists


class Command(GalerieCommand):
    help = gettext_lazy(
        "Simule des mois d'activité passée au travers des vrais services. Commandes, paiements, "
        "expéditions, annulations, remboursements, versements et coûts fixes, datés du passé, "
        "pour les tableaux de bord."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=12,
            metavar="N",
            help=_("Nombre de mois simulés, jusqu'à aujourd'hui (défaut : 12)."),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            metavar="N",
            help=_("Graine du hasard : la même graine donne la même activité (défaut : 1)."),
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            metavar="X",
            help=_("Multiplie le nombre de commandes (défaut : 1)."),
        )
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help=_("Ne fait rien si une simulation a déjà eu lieu (utilisé par galerie demo)."),
        )
        parser.add_argument(
            "--again", action="store_true", help=_("Simule même si une simulation a déjà eu lieu.")
        )

    def handle(self, *args, months, seed, scale, if_needed, again, **options):
        if simulation_exists() and not again:
            if if_needed:
                self.stdout.write(_("Activité déjà simulée : rien à faire."))
                return
            raise CommandError(
                _(
                    "Une simulation a déjà eu lieu sur cette base : --again pour en ajouter "
                    "une autre."
                )
            )
        started = time.perf_counter()
        self.stdout.write(
            _("Simulation de %(months)d mois d'activité (graine %(seed)d) …")
            % {"months": months, "seed": seed}
        )
        try:
            run, result = simulate(
                months=months, seed=seed, scale=scale, progress=self.stdout.write
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        done = _(
            "%(orders)d commandes (%(paid)d payées, %(declined)d cartes refusées, %(expired)d "
            "virements jamais reçus), %(deliveries)d colis livrés, %(cancellations)d "
            "annulations, %(returns)d retours, %(payouts)d versements, %(costs)d coûts fixes en "
            "%(seconds).1f s."
        ) % {
            "orders": result.orders_placed,
            "paid": result.orders_paid,
            "declined": result.payments_declined,
            "expired": result.transfers_expired,
            "deliveries": result.deliveries,
            "cancellations": result.customer_cancellations + result.seller_cancellations,
            "returns": result.returns,
            "payouts": result.payouts,
            "costs": result.fixed_costs,
            "seconds": time.perf_counter() - started,
        }
        self.stdout.write(self.style.SUCCESS(done))
        self.stdout.write(
            _(
                "Dont %(trips)d voyages réservés (%(trip_cancels)d annulés selon le barème) et "
                "%(subscriptions)d abonnements presse (%(terminations)d résiliés)."
            )
            % {
                "trips": result.trips_booked,
                "trip_cancels": result.trips_cancelled,
                "subscriptions": result.subscriptions_sold,
                "terminations": result.subscriptions_terminated,
            }
        )
        if result.refused:
            refused = ", ".join(f"{code} × {n}" for code, n in sorted(result.refused.items()))
            self.stdout.write(
                _("Refus des services (normaux en activité réelle) : %(refused)s")
                % {"refused": refused}
            )

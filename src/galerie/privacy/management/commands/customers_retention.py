"""`galerie customers-retention`: notify customers inactive for three years, erase those still
inactive 30 days after the notice."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.privacy.services import customers_retention_run


class Command(GalerieCommand):
    help = gettext_lazy(
        "Prévient les clients inactifs depuis trois ans et anonymise ceux qui sont restés "
        "inactifs 30 jours après l'avis."
    )

    def handle(self, *args, **options):
        counts = customers_retention_run()
        self.stdout.write(
            _(
                "%(notified)d avis envoyé(s), %(erased)d compte(s) anonymisé(s), "
                "%(kept)d reporté(s) (commande en cours)."
            )
            % counts
        )

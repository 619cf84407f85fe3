"""`galerie promotions-apply [--enqueue]`: start and end promotions (run it from cron, hourly)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.promotions.services import promotions_apply
from galerie.promotions.tasks import promotions_apply_task


class Command(GalerieCommand):
    help = gettext_lazy(
        "Applique les promotions : les offres d'une promotion en cours passent au prix réduit, "
        "celles d'une promotion terminée reprennent leur prix. Relancée, elle ne change rien "
        "de plus."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help=_("Met la tâche en file pour les tâches de fond au lieu de la faire ici."),
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = promotions_apply_task.enqueue()
            self.stdout.write(_("Tâche mise en file : %(id)s") % {"id": result.id})
            return
        counts = promotions_apply()
        self.stdout.write(
            _(
                "Offres au prix promotionnel : %(held)d ; offres revenues à leur prix : "
                "%(restored)d."
            )
            % counts
        )

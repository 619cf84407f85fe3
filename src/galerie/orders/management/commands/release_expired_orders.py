"""`galerie release-expired-orders`: cancel unpaid orders past their deadline, release stock.

Run it from cron every few minutes, or pass --enqueue to queue the django.tasks task instead.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.payments.refunds import orders_release_expired
from galerie.payments.tasks import release_expired_orders


class Command(GalerieCommand):
    help = gettext_lazy("Annule les commandes non payées dans les délais et libère leur stock.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help=_("Met la tâche en file pour les tâches de fond au lieu de la faire ici."),
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = release_expired_orders.enqueue()
            self.stdout.write(_("Tâche mise en file : %(id)s") % {"id": result.id})
            return
        count = orders_release_expired()
        self.stdout.write(_("%(count)d commande(s) expirée(s), stock libéré.") % {"count": count})

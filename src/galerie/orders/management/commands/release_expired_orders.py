"""`galerie release-expired-orders`: cancel unpaid orders past their deadline, release stock.

Run it from cron every few minutes, or pass --enqueue to queue the django.tasks task instead.
"""

from django.core.management.base import BaseCommand

from galerie.payments.refunds import orders_release_expired
from galerie.payments.tasks import release_expired_orders


class Command(BaseCommand):
    help = "Annule les commandes non payées dans les délais et libère leur stock."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Mettre la tâche en file.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = release_expired_orders.enqueue()
            self.stdout.write(f"Tâche mise en file : {result.id}")
            return
        count = orders_release_expired()
        self.stdout.write(f"{count} commande(s) expirée(s), stock libéré.")

"""`galerie cart-purge [--days N]`: delete guest carts untouched for N days (default 30)."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.cart.errors import CartError
from galerie.cart.services import carts_purge_stale
from galerie.core.commands import GalerieCommand


class Command(GalerieCommand):
    help = gettext_lazy("Supprime les paniers d'invités inactifs depuis N jours (30 par défaut).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=30,
            metavar="N",
            help=_("Supprime les paniers inactifs depuis N jours au moins (défaut : 30)."),
        )

    def handle(self, *args, days: int, **options):
        try:
            count = carts_purge_stale(older_than_days=days)
        except CartError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(_("%(count)d panier(s) d'invité supprimé(s).") % {"count": count})

"""`galerie verify-storefront IN.zip`: on the target, prove the imported storefront equals the
archive's manifest (rows, order totals, VAT per rate, ledger balances). Exits 1 on a mismatch."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.carveout.verify import storefront_verify
from galerie.core.commands import GalerieCommand
from galerie.core.errors import DomainError


class Command(GalerieCommand):
    help = gettext_lazy(
        "Vérifie qu'une boutique importée égale son archive : lignes, totaux des commandes, "
        "TVA par taux et soldes comptables."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar=_("ARCHIVE"), help=_("Archive .zip importée."))

    def handle(self, *args, **options):
        try:
            storefront, checks = storefront_verify(path=options["archive"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        failed = [check for check in checks if not check.ok]
        for check in failed:
            self.stdout.write(
                _("ÉCART %(name)s : archive %(expected)s, ici %(found)s")
                % {"name": check.name, "expected": check.expected, "found": check.found}
            )
        if failed:
            raise CommandError(
                _("%(n)s écart(s) sur %(total)s contrôles.")
                % {"n": len(failed), "total": len(checks)}
            )
        self.stdout.write(
            _("Boutique « %(slug)s » conforme à l'archive : %(total)s contrôles.")
            % {"slug": storefront.slug, "total": len(checks)}
        )

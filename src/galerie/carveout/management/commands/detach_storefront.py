"""`galerie detach-storefront SLUG --new-owner NAME [--url URL] [--cutoff DATE] [--force]`:
close a sold storefront on this (the source) installation and pay its sellers a last time."""

import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.carveout.detach import open_work_text, storefront_detach
from galerie.core.commands import GalerieCommand
from galerie.core.errors import DomainError
from galerie.core.money import format_money
from galerie.storefronts.models import Storefront


def parse_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Date invalide « %(value)s » : format AAAA-MM-JJ attendu.") % {"value": value}
        ) from None


class Command(GalerieCommand):
    help = gettext_lazy(
        "Ferme une boutique cédée : plus de commandes, ses pages nomment le repreneur (410), ses "
        "offres ne sont plus exportées ; la comptabilité reste. Lance une dernière campagne de "
        "versements aux vendeurs."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG", help=_("Identifiant de la boutique."))
        parser.add_argument("--new-owner", required=True, metavar=_("NOM"), help=_("Le repreneur."))
        parser.add_argument("--url", default="", help=_("Site du repreneur (lien de l'avis)."))
        parser.add_argument(
            "--cutoff",
            metavar=_("DATE"),
            help=_(
                "Date de coupure comptable de la cession (AAAA-MM-JJ) : le pilotage compte la "
                "boutique jusqu'à cette date. Par défaut, aujourd'hui."
            ),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Ferme même si des commandes sont encore ouvertes (le repreneur les sert)."),
        )

    def handle(self, *args, **options):
        storefront = Storefront.objects.filter(slug=options["slug"]).first()
        if storefront is None:
            raise CommandError(_("Boutique inconnue « %(slug)s ».") % {"slug": options["slug"]})
        try:
            result = storefront_detach(
                storefront=storefront,
                new_owner=options["new_owner"],
                url=options["url"],
                cutoff=parse_date(options["cutoff"]),
                force=options["force"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        shop = result.storefront
        if result.already_detached:
            self.stdout.write(
                _("La boutique %(slug)s est déjà cédée à %(owner)s (le %(date)s) : rien à faire.")
                % {
                    "slug": shop.slug,
                    "owner": shop.successor_name,
                    "date": shop.detached_at.date().isoformat(),
                }
            )
            return
        self.stdout.write(
            _("Boutique %(slug)s cédée à %(owner)s, coupure au %(cutoff)s.")
            % {"slug": shop.slug, "owner": shop.successor_name, "cutoff": shop.cutoff_date}
        )
        if result.open_work:
            self.stdout.write(
                _("Fermée malgré : %(what)s.") % {"what": open_work_text(result.open_work)}
            )
        total = sum(payout.amount for payout in result.payouts)
        self.stdout.write(
            _("Dernière campagne de versements : %(n)d versement(s) à ses vendeurs, %(t)s.")
            % {"n": len(result.payouts), "t": format_money(total)}
        )
        for payout in result.payouts:
            self.stdout.write(
                f"  {payout.reference} {payout.seller_name} {format_money(payout.amount)}"
            )
        for note in result.run_notes:
            self.stdout.write("  " + note)
        if result.still_owed:
            self.stdout.write(
                _(
                    "Encore dus (délai de rétractation, retenue de garantie) : versés par les "
                    "prochaines campagnes :"
                )
            )
            for name, balance in result.still_owed.items():
                self.stdout.write(f"  {name} {format_money(balance)}")

"""`galerie notify-storefront-customers SLUG --new-owner NAME [--transfer-date DATE]`: queue
the GDPR notice of a change of controller to every customer who ordered on the storefront."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.carveout.management.commands.detach_storefront import parse_date
from galerie.carveout.notices import storefront_customers_notify
from galerie.core.commands import GalerieCommand
from galerie.core.errors import DomainError
from galerie.storefronts.models import Storefront


class Command(GalerieCommand):
    help = gettext_lazy(
        "Prévient chaque client d'une boutique cédée que ses données passent au repreneur "
        "(RGPD, changement de responsable de traitement), par une tâche en arrière-plan. "
        "Un client déjà prévenu ne l'est pas deux fois."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG", help=_("Identifiant de la boutique."))
        parser.add_argument("--new-owner", required=True, metavar=_("NOM"), help=_("Le repreneur."))
        parser.add_argument(
            "--transfer-date",
            metavar=_("DATE"),
            help=_("Date du transfert des données (AAAA-MM-JJ). Par défaut, dans 30 jours."),
        )
        parser.add_argument(
            "--contact",
            metavar=_("E-MAIL"),
            help=_("Où les clients exercent leurs droits (défaut : GALERIE_PRIVACY_CONTACT)."),
        )

    def handle(self, *args, **options):
        storefront = Storefront.objects.filter(slug=options["slug"]).first()
        if storefront is None:
            raise CommandError(_("Boutique inconnue « %(slug)s ».") % {"slug": options["slug"]})
        try:
            result = storefront_customers_notify(
                storefront=storefront,
                new_owner=options["new_owner"],
                transfer_date=parse_date(options["transfer_date"]),
                contact=options["contact"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            _(
                "%(customers)d client(s) : %(queued)d avis mis en file, %(already)d déjà "
                "prévenu(s) ; %(pending)d envoi(s) en attente de la tâche."
            )
            % {
                "customers": result.customers,
                "queued": result.queued,
                "already": result.already,
                "pending": result.pending,
            }
        )

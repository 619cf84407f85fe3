"""`galerie sellers-erase-expired`: anonymise sellers six months after the relationship ended."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.sellers.onboarding import sellers_erase_expired


class Command(GalerieCommand):
    help = gettext_lazy(
        "Anonymise les vendeurs dont la relation a pris fin il y a six mois ou plus."
    )

    def handle(self, *args, **options):
        count = sellers_erase_expired()
        self.stdout.write(_("%(count)d vendeur(s) anonymisé(s).") % {"count": count})

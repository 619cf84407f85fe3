"""`galerie returns-overdue`: warn customer service of withdrawals whose refund falls due within
3 days or is overdue (the law gives 14 days from the withdrawal). Run it daily from cron."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.commands import GalerieCommand
from galerie.returns.services import returns_overdue_notify


class Command(GalerieCommand):
    help = gettext_lazy(
        "Prévient le service client des rétractations à rembourser sous 3 jours ou en retard."
    )

    def handle(self, *args, **options):
        count = returns_overdue_notify()
        message = _("%(count)d rétractation(s) à rembourser sous 3 jours ou en retard.")
        self.stdout.write(message % {"count": count})

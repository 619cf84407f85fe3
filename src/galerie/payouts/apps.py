from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayoutsConfig(AppConfig):
    name = "galerie.payouts"
    verbose_name = _("Reversements")

    def ready(self):
        from galerie.ledger.checks import ledger_check_register
        from galerie.payouts.checks import CHECKS

        for name, check in CHECKS:
            ledger_check_register(name, check)

from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    name = "galerie.payouts"
    verbose_name = "Reversements"

    def ready(self):
        from galerie.ledger.checks import ledger_check_register
        from galerie.payouts.checks import CHECKS

        for name, check in CHECKS:
            ledger_check_register(name, check)

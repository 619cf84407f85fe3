from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    name = "galerie.payouts"
    verbose_name = "Reversements"

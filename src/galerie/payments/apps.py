from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "galerie.payments"
    verbose_name = "Paiements"

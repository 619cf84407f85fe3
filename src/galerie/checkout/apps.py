from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "galerie.checkout"
    verbose_name = "Validation de commande"

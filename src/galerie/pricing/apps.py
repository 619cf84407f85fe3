from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "galerie.pricing"
    verbose_name = "Prix et TVA"

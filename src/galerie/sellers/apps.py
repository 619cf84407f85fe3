from django.apps import AppConfig


class SellersConfig(AppConfig):
    name = "galerie.sellers"
    verbose_name = "Vendeurs et offres"

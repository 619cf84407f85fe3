from django.apps import AppConfig


class StorefrontsConfig(AppConfig):
    name = "galerie.storefronts"
    verbose_name = "Boutiques"

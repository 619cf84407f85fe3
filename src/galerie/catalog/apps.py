from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "galerie.catalog"
    verbose_name = "Catalogue"

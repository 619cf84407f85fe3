from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "galerie.search"
    verbose_name = "Recherche"

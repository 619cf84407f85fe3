from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "galerie.imports"
    verbose_name = "Imports de catalogues"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "galerie.core"
    verbose_name = "Noyau"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "galerie.api"
    verbose_name = "API"

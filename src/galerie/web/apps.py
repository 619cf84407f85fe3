from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "galerie.web"
    verbose_name = "Pages des boutiques"

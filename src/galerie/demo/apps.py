from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "galerie.demo"
    verbose_name = "Démonstration"

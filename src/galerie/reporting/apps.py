from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "galerie.reporting"
    verbose_name = "Pilotage économique"

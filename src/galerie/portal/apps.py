from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "galerie.portal"
    verbose_name = "Espace vendeur"

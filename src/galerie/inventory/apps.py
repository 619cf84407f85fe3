from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "galerie.inventory"
    verbose_name = "Stocks"

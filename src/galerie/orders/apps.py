from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "galerie.orders"
    verbose_name = "Commandes"

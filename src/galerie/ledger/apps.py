from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "galerie.ledger"
    verbose_name = "Comptabilité"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "galerie.accounts"
    verbose_name = "Comptes clients"

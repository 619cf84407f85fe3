from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """No models and no pages: nothing of this app is shown to a user."""

    name = "galerie.operations"

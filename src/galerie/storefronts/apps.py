from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontsConfig(AppConfig):
    name = "galerie.storefronts"
    verbose_name = _("Boutiques")

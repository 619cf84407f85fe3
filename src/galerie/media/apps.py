from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "galerie.media"
    verbose_name = _("Images des produits")

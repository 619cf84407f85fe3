from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarveoutConfig(AppConfig):
    name = "galerie.carveout"
    verbose_name = _("Cessions de boutiques")

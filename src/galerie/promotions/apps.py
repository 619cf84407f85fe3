from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "galerie.promotions"
    verbose_name = _("Promotions et bons d'achat")

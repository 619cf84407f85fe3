from django import template
from django.utils.translation import get_language

from galerie.core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency="EUR"):
    """{{ offer.price|money }} → « 12,99 € » in French, « €12.99 » in English."""
    lang = (get_language() or "fr").split("-")[0]
    return format_money(amount, currency, "en_GB" if lang == "en" else "fr_FR")

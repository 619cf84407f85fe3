from django import template

from galerie.core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency="EUR"):
    """{{ offer.price|money }} → « 12,99 € » in French, « €12.99 » in English."""
    return format_money(amount, currency)

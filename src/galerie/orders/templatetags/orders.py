"""Template filters of the orders pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def rate(value) -> str:
    """A VAT rate the French way, without useless zeros: 20, 5,5, 2,1."""
    if value in (None, ""):
        return ""
    return format(Decimal(str(value)).normalize(), "f").replace(".", ",")

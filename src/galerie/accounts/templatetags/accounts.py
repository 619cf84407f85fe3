from django import template

from galerie.accounts.countries import country_name as _country_name

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """{{ address.country|country_name }} → « France » (in the page's language)."""
    return _country_name(code) if code else ""

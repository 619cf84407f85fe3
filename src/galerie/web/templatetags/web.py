"""Template helpers of the storefront pages."""

import re

from django import template
from django.utils.html import format_html

from galerie.web.caching import CSRF_PLACEHOLDER

register = template.Library()

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@register.simple_tag(takes_context=True)
def csrf_input(context):
    """Like {% csrf_token %}, but cache-safe on catalogue pages (see galerie.web.caching)."""
    request = context.get("request")
    if request is not None and getattr(request, "defer_csrf", False):
        token = CSRF_PLACEHOLDER
    else:
        token = context.get("csrf_token", "")
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.filter
def colour(value, default="#1d3557"):
    """A #RRGGBB colour, or the default: branding goes into a <style> block unescaped."""
    return value if isinstance(value, str) and _COLOUR.match(value) else default

"""Template filters of the moderation back office."""

from django import template

register = template.Library()


@register.filter
def label(labels: dict, key: str) -> str:
    """The display name of a choice `key` in `labels`."""
    return labels.get(key, key)

"""Catalogue value checks shared by the model, the admin and the feed import (no model imports:
the import's reader process uses them before Django's apps are loaded)."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

_IMAGE_URL = URLValidator(schemes=["http", "https"])


def image_url_problem(url: str) -> str | None:
    """Why `url` may not be a product image (None: it may). Only http(s): a `javascript:`,
    `data:` or `file:` address in an <img src> is at best broken, at worst an attack."""
    try:
        _IMAGE_URL(url)
    except ValidationError:
        return _(
            "Adresse d'image refusée « %(v)s » : seules les adresses http:// et https:// "
            "sont admises."
        ) % {"v": url[:100]}
    return None


def validate_image_urls(value) -> None:
    """The model's validator for Product.image_urls (a list of addresses)."""
    if not isinstance(value, list):
        raise ValidationError(_("Une liste d'adresses d'images est attendue."), code="invalid")
    for url in value:
        problem = image_url_problem(url) if isinstance(url, str) else _("Adresse invalide.")
        if problem:
            raise ValidationError(problem, code="image_url_invalid")

"""Countries the mall delivers to, named in the visitor's language with babel's CLDR data."""

from babel import Locale
from django.utils.translation import get_language

# EU member states plus the close neighbours French sellers commonly ship to.
DELIVERY_COUNTRIES = [
    "FR", "BE", "LU", "CH", "MC", "DE", "ES", "IT", "PT", "NL", "AT", "IE", "DK", "SE", "FI",
    "PL", "CZ", "SK", "SI", "HU", "RO", "BG", "GR", "HR", "CY", "MT", "EE", "LV", "LT", "GB",
    "AD", "NO",
]  # fmt: skip


def country_name(code: str) -> str:
    lang = (get_language() or "fr").split("-")[0]
    return Locale(lang).territories.get(code, code)


def country_choices() -> list[tuple[str, str]]:
    """France first, then the others alphabetically in the current language."""
    others = sorted((country_name(c), c) for c in DELIVERY_COUNTRIES if c != "FR")
    return [("FR", country_name("FR"))] + [(code, name) for name, code in others]

"""Postal addresses as stored on orders: validation and normalisation (French format first)."""

import re

from babel import Locale
from django.utils.translation import gettext as _

from galerie.orders.errors import InvalidAddress

FIELDS = ("name", "line1", "line2", "postcode", "city", "country", "phone")
_LIMITS = {"name": 100, "line1": 150, "line2": 150, "postcode": 10, "city": 100, "phone": 30}
COUNTRIES = {code for code in Locale("fr").territories if len(code) == 2 and code.isalpha()}
_POSTCODE = {"FR": r"\d{5}", "BE": r"\d{4}", "CH": r"\d{4}", "LU": r"\d{4}", "DE": r"\d{5}"}


def country_choices() -> list[tuple[str, str]]:
    names = Locale("fr").territories
    return sorted(((c, names[c]) for c in COUNTRIES), key=lambda item: item[1])


def address_clean(data: dict | None, *, which: str) -> dict:
    """Validated copy of an address dict; raises InvalidAddress naming the field."""
    if not isinstance(data, dict):
        raise InvalidAddress(_("Adresse %(w)s manquante.") % {"w": which}, field=which)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise InvalidAddress(
            _("Champs d'adresse inconnus : %(f)s.") % {"f": ", ".join(sorted(unknown))},
            field=which,
        )
    clean = {k: " ".join(str(data.get(k) or "").split()) for k in FIELDS}
    clean["country"] = (clean["country"] or "FR").upper()
    for name, label in (
        ("name", _("le nom")),
        ("line1", _("l'adresse")),
        ("postcode", _("le code postal")),
        ("city", _("la ville")),
    ):
        if not clean[name]:
            raise InvalidAddress(
                _("Adresse %(w)s : %(l)s est obligatoire.") % {"w": which, "l": label},
                field=f"{which}.{name}",
            )
    for name, limit in _LIMITS.items():
        if len(clean[name]) > limit:
            raise InvalidAddress(
                _("Adresse %(w)s : champ trop long (%(n)d caractères au plus).")
                % {"w": which, "n": limit},
                field=f"{which}.{name}",
            )
    if clean["country"] not in COUNTRIES:
        raise InvalidAddress(
            _("Adresse %(w)s : pays inconnu « %(c)s ».") % {"w": which, "c": clean["country"]},
            field=f"{which}.country",
        )
    pattern = _POSTCODE.get(clean["country"])
    if pattern and not re.fullmatch(pattern, clean["postcode"]):
        raise InvalidAddress(
            _("Adresse %(w)s : code postal « %(p)s » invalide.")
            % {"w": which, "p": clean["postcode"]},
            field=f"{which}.postcode",
        )
    clean["city"] = clean["city"].upper() if clean["country"] == "FR" else clean["city"]
    return clean

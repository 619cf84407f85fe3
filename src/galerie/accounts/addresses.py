"""Postal addresses: the one validator that the address form, the checkout API and order_place all
call, with one country list (accounts.countries.DELIVERY_COUNTRIES) and one set of limits, read
from the Address model's max_length (an order stores the same fields in JSON).

Postcodes follow a per-country table: the input is compacted (case, spaces and hyphens ignored)
then written back in the country's usual form, so "l-1234", "L1234" and "1234" are all stored as
"L-1234", and normalising twice changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.accounts.countries import DELIVERY_COUNTRIES, country_name
from galerie.accounts.errors import InvalidAddress
from galerie.accounts.models import Address

ADDRESS_FIELDS = ("name", "line1", "line2", "postcode", "city", "country", "phone")
ADDRESS_LIMITS = {name: Address._meta.get_field(name).max_length for name in ADDRESS_FIELDS}
REQUIRED = {
    "name": gettext_lazy("Le nom est obligatoire."),
    "line1": gettext_lazy("L'adresse est obligatoire."),
    "postcode": gettext_lazy("Le code postal est obligatoire."),
    "city": gettext_lazy("La ville est obligatoire."),
}
DEFAULT_COUNTRY = "FR"
_PHONE = re.compile(r"^\+?[0-9 .()-]{6,20}$")
_POSTCODE_CHARS = re.compile(r"^[A-Z0-9][A-Z0-9 -]*$")


@dataclass(frozen=True)
class PostcodeRule:
    compact: str  # regex on the postcode upper-cased, without spaces and hyphens
    layout: str  # how the groups of the match are written back ({0}, {1}, …)
    rule: str  # what the message says, e.g. "5 chiffres"
    example: str


def _rule(compact: str, layout: str, rule, example: str) -> PostcodeRule:
    return PostcodeRule(compact, layout, rule, example)


_D4 = ("(\\d{4})", "{0}", gettext_lazy("4 chiffres"))
_D5 = ("(\\d{5})", "{0}", gettext_lazy("5 chiffres"))
_D3_2 = ("(\\d{3})(\\d{2})", "{0} {1}", gettext_lazy("5 chiffres"))
POSTCODE_RULES: dict[str, PostcodeRule] = {
    "FR": _rule(*_D5, "75011"),
    "MC": _rule("(980\\d{2})", "{0}", gettext_lazy("980 suivi de 2 chiffres"), "98000"),
    "BE": _rule(*_D4, "1000"),
    "LU": _rule("L?(\\d{4})", "L-{0}", gettext_lazy("4 chiffres, précédés ou non de L-"), "L-1234"),
    "CH": _rule(*_D4, "8001"),
    "DE": _rule(*_D5, "10115"),
    "ES": _rule(*_D5, "28001"),
    "IT": _rule(*_D5, "00184"),
    "PT": _rule("(\\d{4})(\\d{3})", "{0}-{1}", gettext_lazy("7 chiffres"), "1000-001"),
    "NL": _rule(
        "(\\d{4})([A-Z]{2})", "{0} {1}", gettext_lazy("4 chiffres et 2 lettres"), "1012 AB"
    ),
    "AT": _rule(*_D4, "1010"),
    "IE": _rule(
        "([AC-FHKNPRTV-Y]\\d{2}|D6W)([0-9AC-FHKNPRTV-Y]{4})",
        "{0} {1}",
        gettext_lazy("un Eircode de 7 caractères"),
        "D02 X285",
    ),
    "DK": _rule(*_D4, "1050"),
    "SE": _rule(*_D3_2, "114 55"),
    "FI": _rule(*_D5, "00100"),
    "PL": _rule("(\\d{2})(\\d{3})", "{0}-{1}", gettext_lazy("5 chiffres"), "00-950"),
    "CZ": _rule(*_D3_2, "110 00"),
    "SK": _rule(*_D3_2, "811 01"),
    "SI": _rule(*_D4, "1000"),
    "HU": _rule(*_D4, "1051"),
    "RO": _rule("(\\d{6})", "{0}", gettext_lazy("6 chiffres"), "010011"),
    "BG": _rule(*_D4, "1000"),
    "GR": _rule(*_D3_2, "105 57"),
    "HR": _rule(*_D5, "10000"),
    "CY": _rule(*_D4, "1010"),
    "MT": _rule(
        "([A-Z]{3})(\\d{4})", "{0} {1}", gettext_lazy("3 lettres et 4 chiffres"), "VLT 1117"
    ),
    "EE": _rule(*_D5, "10111"),
    "LV": _rule(
        "(?:LV)?(\\d{4})", "LV-{0}", gettext_lazy("4 chiffres, précédés ou non de LV-"), "LV-1010"
    ),
    "LT": _rule(
        "(?:LT)?(\\d{5})", "LT-{0}", gettext_lazy("5 chiffres, précédés ou non de LT-"), "LT-01100"
    ),
    "GB": _rule(
        "([A-Z]{1,2}\\d[A-Z\\d]?)(\\d[A-Z]{2})",
        "{0} {1}",
        gettext_lazy("un code postal britannique"),
        "SW1A 1AA",
    ),
    "AD": _rule("(?:AD)?(\\d{3})", "AD{0}", gettext_lazy("AD suivi de 3 chiffres"), "AD500"),
    "NO": _rule(*_D4, "0150"),
}


def postcode_normalize(postcode: str, country: str) -> str:
    """The postcode written the country's way; raises ValueError with the message to show."""
    upper = " ".join(postcode.upper().split())
    rule = POSTCODE_RULES.get(country)
    match = None
    if _POSTCODE_CHARS.match(upper) and rule is not None:
        match = re.fullmatch(rule.compact, upper.replace(" ", "").replace("-", ""))
    if match is None:
        if rule is None:
            raise ValueError(_("Code postal invalide."))
        raise ValueError(
            _("Code postal invalide pour %(country)s : %(rule)s (ex. %(example)s).")
            % {"country": country_name(country), "rule": rule.rule, "example": rule.example}
        )
    return rule.layout.format(*match.groups())


def address_check(data: dict) -> tuple[dict, dict[str, str]]:
    """(normalised address, {field: message}) for a dict of ADDRESS_FIELDS (missing keys are
    empty). Whitespace is collapsed, the country defaults to France, the postcode is written the
    country's way and a French city in capitals. The form shows the messages on its fields."""
    clean = {name: " ".join(str(data.get(name) or "").split()) for name in ADDRESS_FIELDS}
    clean["country"] = (clean["country"] or DEFAULT_COUNTRY).upper()
    errors: dict[str, str] = {}
    for name in ADDRESS_FIELDS:
        limit = ADDRESS_LIMITS[name]
        if not clean[name] and name in REQUIRED:
            errors[name] = str(REQUIRED[name])
        elif len(clean[name]) > limit:
            errors[name] = _("Trop long : %(n)d caractères au plus.") % {"n": limit}
    if "country" not in errors and clean["country"] not in DELIVERY_COUNTRIES:
        errors["country"] = _("Nous ne livrons pas dans ce pays (« %(c)s »).") % {
            "c": clean["country"]
        }
    if "postcode" not in errors and "country" not in errors:
        try:
            clean["postcode"] = postcode_normalize(clean["postcode"], clean["country"])
        except ValueError as error:
            errors["postcode"] = str(error)
    if clean["phone"] and "phone" not in errors and not _PHONE.match(clean["phone"]):
        errors["phone"] = _("Numéro de téléphone invalide.")
    if clean["country"] == "FR":
        clean["city"] = clean["city"].upper()
    return clean, errors


def address_clean(data: dict | None, *, which: str) -> dict:
    """Validated, normalised copy of an address dict (orders, address book); raises
    InvalidAddress naming the first bad field, with the message the form shows for it."""
    if not isinstance(data, dict):
        raise InvalidAddress(_("Adresse %(w)s manquante.") % {"w": which}, field=which)
    unknown = set(data) - set(ADDRESS_FIELDS)
    if unknown:
        raise InvalidAddress(
            _("Champs d'adresse inconnus : %(f)s.") % {"f": ", ".join(sorted(unknown))},
            field=which,
        )
    clean, errors = address_check(data)
    for name in ADDRESS_FIELDS:
        if name in errors:
            raise InvalidAddress(
                _("Adresse %(w)s : %(m)s") % {"w": which, "m": errors[name]},
                field=f"{which}.{name}",
            )
    return clean

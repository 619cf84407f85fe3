"""GTIN validation and normalisation with python-stdnum: ISBN-10 → ISBN-13, UPC-A → EAN-13."""

from django.utils.translation import gettext as _
from stdnum import ean, isbn
from stdnum.exceptions import ValidationError as StdnumError


class InvalidGTIN(ValueError):
    pass


def normalize_gtin(raw: str) -> str:
    """Return the canonical 13-digit GTIN (or 8/14 digits for EAN-8/GTIN-14), or raise InvalidGTIN.

    Accepts ISBN-10 (converted to ISBN-13), ISBN-13, EAN-13, UPC-A (12 digits, prefixed with 0),
    EAN-8 and GTIN-14, with spaces and hyphens.
    """
    value = (raw or "").strip().replace(" ", "").replace("-", "").upper()
    if not value:
        raise InvalidGTIN(_("Le GTIN est vide."))
    if len(value) == 10:
        try:
            return isbn.to_isbn13(isbn.validate(value))
        except StdnumError as exc:
            raise InvalidGTIN(
                _("ISBN-10 invalide « %(raw)s » : clé de contrôle fausse.") % {"raw": raw}
            ) from exc
    if not value.isdigit():
        raise InvalidGTIN(
            _("Le GTIN « %(raw)s » ne doit contenir que des chiffres.") % {"raw": raw}
        )
    if len(value) not in (8, 12, 13, 14):
        raise InvalidGTIN(
            _("Le GTIN « %(raw)s » doit compter 8, 12, 13 ou 14 chiffres (ou être un ISBN-10).")
            % {"raw": raw}
        )
    try:
        value = ean.validate(value)
    except StdnumError as exc:
        raise InvalidGTIN(
            _("Clé de contrôle invalide pour le GTIN « %(raw)s ».") % {"raw": raw}
        ) from exc
    if len(value) == 12:
        value = "0" + value
    if len(value) == 14 and value.startswith("0"):
        value = value[1:]
    return value


def is_isbn(gtin: str) -> bool:
    return len(gtin) == 13 and gtin[:3] in ("978", "979")

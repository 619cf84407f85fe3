"""Money: Decimal euros rounded half-up to the cent, formatted with babel in the active language
(« 5 402,68 € » in French, « €5,402.68 » in English) by the pages, the back office and the CLI."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency
from django.utils.translation import get_language

CENT = Decimal("0.01")
MONEY_FIELD = {"max_digits": 12, "decimal_places": 2}


def to_money(value: Decimal | int | str) -> Decimal:
    """Round a Decimal (or an exact string/int) half-up to the cent. Floats are refused."""
    if isinstance(value, float):
        raise TypeError("money is never a float")
    try:
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc


def format_money(amount: Decimal | None, currency: str = "EUR", locale: str | None = None) -> str:
    """The amount as the active language writes it, or as babel's `locale` does when given."""
    if amount is None:
        return ""
    if locale is None:
        locale = "en_GB" if (get_language() or "fr").split("-")[0] == "en" else "fr_FR"
    return format_currency(amount, currency, locale=locale)

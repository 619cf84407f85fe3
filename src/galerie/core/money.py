"""Money: Decimal euros rounded half-up to the cent, formatted the French way with babel."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency

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


def format_money(amount: Decimal | None, currency: str = "EUR", locale: str = "fr_FR") -> str:
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=locale)

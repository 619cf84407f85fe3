"""Validation of one feed row, alone: formats, ranges and the rules that need no database.

Rules that need the catalogue (book-law price range, category mapping, GTIN obligation of a
product type) are checked per batch in `services`. Every message is French and names the reason;
the row number and the column travel with it into the error report.
"""

import html
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from galerie.catalog.gtin import InvalidGTIN, normalize_gtin
from galerie.catalog.validators import image_url_problem
from galerie.core.money import CENT
from galerie.sellers.limits import OFFER_DELIVERY_PRICE_MAX, OFFER_PRICE_MAX, OFFER_STOCK_MAX

TITLE_MAX = 150
SKU_MAX = 64
DEFAULT_CONDITION_NOTE = "État décrit par le vendeur"

AVAILABILITY = {
    "in_stock": True,
    "in stock": True,
    "preorder": True,
    "backorder": True,
    "out_of_stock": False,
    "out of stock": False,
}
CONDITIONS = {
    "new": "new",
    "neuf": "new",
    "used": "used",
    "occasion": "used",
    "refurbished": "refurbished",
    "reconditionné": "refurbished",
    "reconditionne": "refurbished",
}
_PRICE_RE = re.compile(r"^(-?)(\d{1,10})(?:\.(\d{1,2}))?$")
_SCRIPT_RE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_SPACES_RE = re.compile(r"\s+")


@dataclass(slots=True)
class RowError:
    row: int
    column: str
    code: str
    message: str
    value: str = ""
    is_warning: bool = False


CATEGORY_VALUE_MAX = 750


@dataclass(slots=True)
class FeedRow:
    row: int
    sku: str
    title: str
    description: str
    gtin: str | None
    price: Decimal  # what the shopper pays: sale_price when there is one
    list_price: Decimal  # the `price` column
    stock: int
    condition: str
    condition_note: str
    categories: tuple[str, str]  # (product_type, google_product_category), either may be « »
    brand: str
    image_url: str
    delivery_price: Decimal | None
    slug: str = ""  # of the product this row would create (set by the reader)


class PriceError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def price_parse(raw: str, *, label: str = "", maximum: Decimal = OFFER_PRICE_MAX) -> Decimal:
    """Parse a Merchant Center price « 12.99 EUR » into a Decimal, or raise PriceError."""
    text = raw.strip()
    amount, _sep, currency = text.partition(" ")
    currency = currency.strip()
    if not currency:
        if amount[-3:].isalpha():
            amount, currency = amount[:-3], amount[-3:]
        else:
            raise PriceError(
                "price_currency",
                _("Devise manquante pour le %(label)s « %(raw)s » (attendu : 12.99 EUR).")
                % {"label": label or _("prix"), "raw": raw},
            )
    if currency.upper() != "EUR":
        raise PriceError(
            "price_currency",
            _("Devise « %(c)s » refusée pour le %(label)s : seuls les prix en EUR sont acceptés.")
            % {"c": currency, "label": label or _("prix")},
        )
    match = _PRICE_RE.match(amount)
    if match is None:
        if "," in amount:
            raise PriceError(
                "price_format",
                _(
                    "Format du %(label)s invalide « %(raw)s » : "
                    "utilisez le point décimal (12.99 EUR)."
                )
                % {"label": label or _("prix"), "raw": raw},
            )
        raise PriceError(
            "price_format",
            _("Format du %(label)s invalide « %(raw)s » (attendu : 12.99 EUR).")
            % {"label": label or _("prix"), "raw": raw},
        )
    if match.group(1) == "-":
        raise PriceError(
            "price_negative",
            _("Le %(label)s « %(raw)s » ne peut être négatif.")
            % {"label": label or _("prix"), "raw": raw},
        )
    value = Decimal(f"{match.group(2)}.{match.group(3) or '0'}").quantize(CENT)
    if value <= 0:
        raise PriceError(
            "price_negative",
            _("Le %(label)s « %(raw)s » doit être supérieur à 0 €.")
            % {"label": label or _("prix"), "raw": raw},
        )
    if value > maximum:
        raise PriceError(
            "price_too_high",
            _("Le %(label)s « %(raw)s » dépasse %(max)s EUR.")
            % {"label": label or _("prix"), "raw": raw, "max": maximum},
        )
    return value


def _is_valid_ean13(value: str) -> bool:
    """Fast path for the common case; anything else goes through normalize_gtin (python-stdnum)."""
    if len(value) != 13 or not value.isdigit():
        return False
    total = sum(map(int, value[0:12:2])) + 3 * sum(map(int, value[1:12:2]))
    return (10 - total % 10) % 10 == int(value[12])


def text_plain(raw: str) -> str:
    """HTML from a merchant → plain text (tags dropped, entities decoded); escaped on output."""
    if "<" in raw:
        raw = strip_tags(_SCRIPT_RE.sub(" ", raw))
    if "&" in raw:
        raw = html.unescape(raw)
    if "\n" in raw or "\t" in raw or "\r" in raw or "  " in raw:
        raw = _SPACES_RE.sub(" ", raw)
    return raw.strip()


def row_parse(n: int, r: dict[str, str]) -> tuple[FeedRow | None, list[RowError]]:
    """Validate one row. Returns (row, warnings) or (None, errors)."""
    errors: list[RowError] = []
    get = r.get
    sku = (get("id") or "").strip()
    if not sku:
        errors.append(RowError(n, "id", "id_missing", _("Identifiant (id) manquant.")))
    elif len(sku) > SKU_MAX:
        errors.append(
            RowError(
                n,
                "id",
                "id_too_long",
                _("Identifiant trop long (plus de %(n)d caractères).") % {"n": SKU_MAX},
                sku[:200],
            )
        )

    title = (get("title") or "").strip()
    warnings: list[RowError] = []
    if not title:
        errors.append(RowError(n, "title", "title_missing", _("Titre manquant.")))
    else:
        if "\n" in title or "\r" in title or "  " in title:
            title = _SPACES_RE.sub(" ", title)
        if len(title) > TITLE_MAX:
            errors.append(
                RowError(
                    n,
                    "title",
                    "title_too_long",
                    _("Titre trop long : %(n)d caractères, %(max)d au plus.")
                    % {"n": len(title), "max": TITLE_MAX},
                    title[:200],
                )
            )
        elif "<" in title and strip_tags(title) != title:
            warnings.append(
                RowError(
                    n,
                    "title",
                    "html_in_title",
                    _(
                        "Balises HTML dans le titre : enregistrées comme du texte, "
                        "jamais interprétées (échappées à l'affichage)."
                    ),
                    title[:200],
                    is_warning=True,
                )
            )

    price = sale = None
    raw_price = (get("price") or "").strip()
    if not raw_price:
        errors.append(RowError(n, "price", "price_missing", _("Prix manquant.")))
    else:
        try:
            price = price_parse(raw_price)
        except PriceError as exc:
            errors.append(RowError(n, "price", exc.code, exc.message, raw_price[:200]))
    raw_sale = (get("sale_price") or "").strip()
    if raw_sale:
        try:
            sale = price_parse(raw_sale, label=_("prix soldé"))
        except PriceError as exc:
            errors.append(RowError(n, "sale_price", exc.code, exc.message, raw_sale[:200]))
        if price is not None and sale is not None and sale > price:
            errors.append(
                RowError(
                    n,
                    "sale_price",
                    "sale_price_above_price",
                    _("Le prix soldé (%(sale)s EUR) dépasse le prix (%(price)s EUR).")
                    % {"sale": sale, "price": price},
                    raw_sale[:200],
                )
            )

    raw_availability = (get("availability") or "").strip()
    available = None
    if raw_availability:
        available = AVAILABILITY.get(raw_availability.lower())
        if available is None:
            errors.append(
                RowError(
                    n,
                    "availability",
                    "availability_unknown",
                    _(
                        "Disponibilité inconnue « %(v)s » (valeurs admises : "
                        "in_stock, out_of_stock, preorder, backorder)."
                    )
                    % {"v": raw_availability},
                    raw_availability[:200],
                )
            )

    raw_quantity = (get("quantity") or "").strip()
    stock = 0
    if raw_quantity:
        if raw_quantity.isdigit():
            stock = int(raw_quantity)
            if stock > OFFER_STOCK_MAX:
                errors.append(
                    RowError(
                        n, "quantity", "quantity_invalid", _("Quantité démesurée."), raw_quantity
                    )
                )
        else:
            errors.append(
                RowError(
                    n,
                    "quantity",
                    "quantity_invalid",
                    _("Quantité invalide « %(v)s » : un nombre entier positif ou nul est attendu.")
                    % {"v": raw_quantity},
                    raw_quantity[:200],
                )
            )
    elif available:
        # A main product feed carries no quantity: one unit on offer until the seller says more.
        stock = 1
    if available is False:
        stock = 0

    raw_condition = (get("condition") or "").strip()
    condition = "new"
    if raw_condition:
        condition = CONDITIONS.get(raw_condition.lower())
        if condition is None:
            errors.append(
                RowError(
                    n,
                    "condition",
                    "condition_unknown",
                    _("État inconnu « %(v)s » (valeurs admises : new, used, refurbished).")
                    % {"v": raw_condition},
                    raw_condition[:200],
                )
            )

    raw_gtin = (get("gtin") or "").strip()
    gtin = None
    if raw_gtin:
        try:
            gtin = raw_gtin if _is_valid_ean13(raw_gtin) else normalize_gtin(raw_gtin)
        except InvalidGTIN as exc:
            errors.append(RowError(n, "gtin", "gtin_invalid", str(exc), raw_gtin[:200]))

    delivery_price = None
    raw_shipping = (get("shipping") or "").strip()
    if raw_shipping:
        # Merchant Center's « country:region:service:price », e.g. « FR:::4.99 EUR ».
        amount = raw_shipping.rsplit(":", 1)[-1]
        try:
            delivery_price = (
                price_parse(amount, label=_("frais de port"), maximum=OFFER_DELIVERY_PRICE_MAX)
                if amount.strip()
                else None
            )
        except PriceError as exc:
            if exc.code == "price_negative" and amount.strip().startswith("0"):
                delivery_price = Decimal("0.00")
            else:
                errors.append(RowError(n, "shipping", exc.code, exc.message, raw_shipping[:200]))

    image = (get("image_link") or "").strip()[:500]
    if image and (problem := image_url_problem(image)):
        errors.append(RowError(n, "image_link", "image_url_invalid", problem, image[:200]))

    if errors:
        return None, errors

    description = get("description") or ""
    if description:
        description = text_plain(description)
    note = (get("condition_note") or "").strip()[:300]
    if condition != "new" and not note:
        note = DEFAULT_CONDITION_NOTE
    # Merchant Center's own limit (750 characters): category lookups fold and cache these.
    product_type = (get("product_type") or "").strip()[:CATEGORY_VALUE_MAX]
    google_category = (get("google_product_category") or "").strip()[:CATEGORY_VALUE_MAX]
    return (
        FeedRow(
            row=n,
            sku=sku,
            title=title,
            description=description,
            gtin=gtin,
            price=sale if sale is not None else price,
            list_price=price,
            stock=stock,
            condition=condition,
            condition_note=note,
            categories=(product_type, google_category),
            brand=(get("brand") or "").strip()[:255],
            image_url=image,
            delivery_price=delivery_price,
        ),
        warnings,
    )

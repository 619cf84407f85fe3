"""Pricing rules: VAT rates and rounding, the French book-price law, delivery fees per parcel.

VAT rounding rule (documented, used everywhere): prices are TTC. The VAT of one line is
``TTC − round_half_up(TTC / (1 + rate/100), 2)``, computed on the line total (unit price ×
quantity), and HT = TTC − VAT. Totals are sums of lines, so the sum of lines always equals the
total. The delivery fee of a parcel follows the VAT of the goods it carries (accessory follows
the principal): it is split across the parcel's rates in proportion to the goods' TTC per rate,
cents allotted by largest remainder, and each part is then a line like any other.

Who is liable for VAT is decided once, by `sale_vat`: a private seller (not a trader) sells
without VAT, the operator and professional sellers at the tax class's rate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.core.money import CENT, to_money
from galerie.pricing.errors import BookPriceError, TaxRateMissing
from galerie.pricing.models import DeliveryKind, DeliveryMethod, TaxRate, VatExemption

HUNDRED = Decimal("100")
# Loi n° 81-766 du 10 août 1981 (loi Lang): a new book sells at 95 % to 100 % of its set price.
BOOK_PRICE_MIN_RATIO = Decimal("0.95")
# Loi n° 2021-1901 (« loi Darcos ») and arrêté du 4 avril 2023: book delivery is never free.
BOOK_SHIPPING_THRESHOLD = Decimal("35.00")
BOOK_SHIPPING_FLOOR_LOW = Decimal("3.00")
BOOK_SHIPPING_FLOOR_HIGH = Decimal("0.01")
DEFAULT_WEIGHT_KG = Decimal("0.5")


# --- VAT -------------------------------------------------------------------------------------


def vat_rate(*, tax_class: str, on: dt.date | None = None) -> Decimal:
    """The VAT rate in percent (e.g. Decimal("5.5")) of a tax class on a date (default today)."""
    on = on or clock.localdate()
    rate = (
        TaxRate.objects.filter(tax_class=tax_class, valid_from__lte=on)
        .order_by("-valid_from")
        .values_list("rate", flat=True)
        .first()
    )
    if rate is None:
        raise TaxRateMissing(
            _("Aucun taux de TVA en vigueur pour la classe « %(c)s » au %(d)s.")
            % {"c": tax_class, "d": on.isoformat()}
        )
    return _plain(rate)


def _plain(rate: Decimal) -> Decimal:
    """20.00 → 20, 5.50 → 5.5 (no exponent notation)."""
    return Decimal(format(rate.normalize(), "f"))


def vat_rates(*, on: dt.date | None = None) -> dict[str, Decimal]:
    """Every tax class's rate on a date, in one query (for baskets)."""
    on = on or clock.localdate()
    rates: dict[str, Decimal] = {}
    for tax_class, rate in (
        TaxRate.objects.filter(valid_from__lte=on)
        .order_by("tax_class", "-valid_from")
        .values_list("tax_class", "rate")
    ):
        rates.setdefault(tax_class, _plain(rate))
    return rates


def vat_amount(*, ttc: Decimal, rate: Decimal) -> Decimal:
    """VAT included in a gross (TTC) amount, `rate` in percent (Decimal("20"), Decimal("5.5")):
    TTC − round_half_up(TTC / (1 + rate/100), 2). The one VAT-from-gross rule: sale lines,
    delivery parts and the operator's commission all use it."""
    ht = (ttc / (1 + rate / HUNDRED)).quantize(CENT, rounding=ROUND_HALF_UP)
    return ttc - ht


@dataclass(frozen=True)
class SaleVat:
    """The VAT treatment of a sale line: `rate` in percent (0 when exempt) and, when the line
    carries no VAT, why (a VatExemption code, else "")."""

    rate: Decimal
    exemption: str = ""

    @property
    def exemption_label(self) -> str:
        return vat_exemption_label(self.exemption)


def sale_vat(*, rate: Decimal, seller_is_trader: bool) -> SaleVat:
    """The one place that decides whether a sale line (goods or delivery) carries VAT.

    `rate` is the tax class's rate. A private seller (`Seller.is_trader` False) is not liable
    for VAT (CGI art. 256 : only a person acting as a taxable trader charges it), so a
    consumer-to-consumer sale carries none, delivery included. The operator's commission on
    that sale is a service invoiced by the operator and keeps its VAT (ledger.postings).
    """
    if not seller_is_trader:
        return SaleVat(rate=Decimal("0"), exemption=VatExemption.PRIVATE_SALE)
    return SaleVat(rate=rate)


def margin_vat(*, total: Decimal, cost: Decimal | None, rate: Decimal) -> Decimal:
    """VAT owed under the travel agents' margin scheme (CGI art. 266-1-e, 306 ff): the VAT
    included in the margin, total TTC minus the purchase cost TTC (the suppliers' VAT on what
    the traveller consumes is not deductible, so the cost counts VAT included), by the one
    VAT-from-gross rule; nothing on a margin of zero or less. An unknown cost counts as zero:
    the margin is then the whole price, never under-declared."""
    margin = total - (cost or Decimal("0"))
    if margin <= 0:
        return Decimal("0.00")
    return vat_amount(ttc=margin, rate=rate)


def vat_exemption_label(code: str) -> str:
    """The text shown instead of a VAT rate for an exempt line ("" when VAT applies)."""
    return str(VatExemption(code).label) if code else ""


@dataclass(frozen=True)
class VatRow:
    rate: Decimal
    ht: Decimal
    vat: Decimal
    ttc: Decimal
    exemption: str = ""

    @property
    def exemption_label(self) -> str:
        return vat_exemption_label(self.exemption)


def vat_breakdown(lines: Iterable[tuple]) -> list[VatRow]:
    """Totals per rate from (rate, ttc, vat[, exemption]) lines, highest rate first and exempt
    sales last (their own row, never merged with a 0 % rate); pure sums of the lines.

    This is what the customer is shown, so an exempt row carries no VAT: a private sale has
    none, and under the travel margin scheme the operator's VAT on its margin (the line's
    `vat`, posted to the ledger) never appears on the customer's documents."""
    sums: dict[tuple[str, Decimal], list[Decimal]] = {}
    for rate, ttc, vat, *exemption in lines:
        key = (exemption[0] if exemption else "", Decimal(rate))
        row = sums.setdefault(key, [Decimal("0.00"), Decimal("0.00")])
        row[0] += ttc
        row[1] += Decimal("0.00") if key[0] else vat
    ordered = sorted(sums.items(), key=lambda item: (not item[0][0], item[0][1]), reverse=True)
    return [
        VatRow(rate=rate, ht=ttc - vat, vat=vat, ttc=ttc, exemption=exemption)
        for (exemption, rate), (ttc, vat) in ordered
    ]


def amount_split_by_rate(
    *, amount: Decimal, weights: dict[Decimal, Decimal]
) -> dict[Decimal, Decimal]:
    """Split an amount (a delivery fee) across VAT rates in proportion to `weights`.

    Largest-remainder method: each part is rounded down to the cent, then the cents left over go
    to the parts with the largest remainders (ties: highest rate). Parts are never negative and
    always sum to `amount`.
    """
    if not weights:
        return {}
    total = sum(weights.values())
    if total <= 0:
        return {max(weights): amount}
    exact = {rate: amount * weight / total for rate, weight in weights.items()}
    parts = {rate: value.quantize(CENT, rounding=ROUND_DOWN) for rate, value in exact.items()}
    leftover = int((amount - sum(parts.values())) / CENT)
    for rate in sorted(exact, key=lambda r: (exact[r] - parts[r], r), reverse=True)[:leftover]:
        parts[rate] += CENT
    return {rate: part for rate, part in parts.items() if part}


# --- Book law --------------------------------------------------------------------------------


def book_price_range(publisher_price: Decimal) -> tuple[Decimal, Decimal]:
    """Allowed [min, max] TTC for a new book; the minimum is rounded up so it never dips < 95 %."""
    low = (publisher_price * BOOK_PRICE_MIN_RATIO).quantize(CENT, rounding=ROUND_UP)
    return low, publisher_price


def book_price_check(*, product, price: Decimal, condition: str) -> None:
    """Refuse a NEW book offer priced outside [95 %, 100 %] of the publisher's price (loi Lang).

    Used books and non-book products are not concerned. A new book whose publisher's price is
    not known cannot be priced lawfully, so it is refused too.
    """
    error = book_price_error(
        is_book=product.product_type.is_book,
        publisher_price=product.publisher_price,
        title=product.title,
        price=price,
        condition=condition,
    )
    if error is not None:
        raise error


def book_price_error(
    *, is_book: bool, publisher_price, title: str, price: Decimal, condition: str
) -> BookPriceError | None:
    """`book_price_check` on plain values, returning the error rather than raising it: for the
    writers that check many rows at once (the feed import) without loading the products."""
    if condition != "new" or not is_book:
        return None
    if publisher_price is None:
        return BookPriceError(
            _(
                "Prix unique du livre (loi Lang) : le prix éditeur de « %(t)s » n'est pas "
                "renseigné, une offre neuve ne peut pas être publiée."
            )
            % {"t": title},
            field="price",
        )
    publisher_price = Decimal(str(publisher_price))
    low, high = book_price_range(publisher_price)
    if not (low <= Decimal(str(price)) <= high):
        return BookPriceError(
            _(
                "Prix unique du livre (loi Lang) : un livre neuf doit être vendu entre 95 %% et "
                "100 %% du prix éditeur (%(pp)s €), soit entre %(low)s € et %(high)s € ; prix "
                "proposé : %(price)s €."
            )
            % {"pp": publisher_price, "low": low, "high": high, "price": price},
            field="price",
        )
    return None


def book_shipping_floor(*, new_books_total: Decimal) -> Decimal:
    """Minimum delivery fee TTC of a parcel holding new books worth `new_books_total` TTC."""
    if new_books_total <= 0:
        return Decimal("0.00")
    if new_books_total < BOOK_SHIPPING_THRESHOLD:
        return BOOK_SHIPPING_FLOOR_LOW
    return BOOK_SHIPPING_FLOOR_HIGH


# --- Delivery --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryOption:
    """One way a seller can ship one parcel, priced for that parcel.

    `method_id` is 0 for the default « Livraison standard » of a seller with no method.
    """

    method_id: int
    label: str
    kind: str
    fee: Decimal
    base_fee: Decimal
    book_floor_applied: bool
    days_min: int
    days_max: int
    date_min: dt.date
    date_max: dt.date


def _is_new_book(offer) -> bool:
    return offer.condition == "new" and offer.product.product_type.is_book


def _parcel_facts(lines: Sequence[tuple]) -> tuple[Decimal, Decimal, Decimal, int]:
    """(goods TTC, new books TTC, weight kg, lead time days) of a parcel of (offer, qty) lines."""
    goods = Decimal("0.00")
    books = Decimal("0.00")
    weight = Decimal("0")
    lead = 0
    for offer, quantity in lines:
        amount = offer.price * quantity
        goods += amount
        if _is_new_book(offer):
            books += amount
        weight += (getattr(offer.product, "weight_kg", None) or DEFAULT_WEIGHT_KG) * quantity
        lead = max(lead, offer.lead_time_days)
    return goods, books, weight, lead


def _method_fee(method: DeliveryMethod, *, goods: Decimal, weight: Decimal) -> Decimal:
    if method.kind == DeliveryKind.WEIGHT:
        return to_money(method.fee + method.fee_per_kg * weight)
    if method.kind == DeliveryKind.FREE_ABOVE and method.free_above is not None:
        return Decimal("0.00") if goods >= method.free_above else to_money(method.fee)
    return to_money(method.fee)


def delivery_methods_of(seller) -> list[DeliveryMethod]:
    return list(DeliveryMethod.objects.filter(seller=seller, is_active=True))


def delivery_options(
    *, seller, lines: Sequence[tuple], methods: list[DeliveryMethod] | None = None, today=None
) -> list[DeliveryOption]:
    """The seller's delivery options for one parcel of (offer, quantity) lines, cheapest first.

    The book-shipping floor is applied per parcel whatever the seller's settings (pickup exempt).
    A seller with no method gets a default « Livraison standard » priced at the highest
    `delivery_price` of the parcel's offers (one parcel, one fee). `methods` may be passed
    pre-loaded to save a query.
    """
    if methods is None:
        methods = delivery_methods_of(seller)
    today = today or clock.localdate()
    goods, books, weight, lead = _parcel_facts(lines)
    floor = book_shipping_floor(new_books_total=books)
    candidates: list[tuple[int, str, str, Decimal, int, int]] = [
        (
            m.pk,
            m.name,
            m.kind,
            _method_fee(m, goods=goods, weight=weight),
            m.delivery_days_min,
            m.delivery_days_max,
        )
        for m in methods
    ]
    if not candidates:
        base = max((offer.delivery_price for offer, _q in lines), default=Decimal("0.00"))
        candidates = [(0, _("Livraison standard"), DeliveryKind.FLAT, to_money(base), 2, 5)]
    options = []
    for method_id, label, kind, base_fee, dmin, dmax in candidates:
        fee = base_fee
        applied = False
        if kind != DeliveryKind.PICKUP and fee < floor:
            fee, applied = floor, True
        options.append(
            DeliveryOption(
                method_id=method_id,
                label=str(label),
                kind=kind,
                fee=fee,
                base_fee=base_fee,
                book_floor_applied=applied,
                days_min=lead + dmin,
                days_max=lead + dmax,
                date_min=today + dt.timedelta(days=lead + dmin),
                date_max=today + dt.timedelta(days=lead + dmax),
            )
        )
    options.sort(key=lambda o: (o.fee, o.days_max, o.method_id))
    return options


# --- Seed data ---------------------------------------------------------------------------------

FRENCH_RATES = [
    ("standard", "19.6", dt.date(2000, 4, 1)),
    ("standard", "20", dt.date(2014, 1, 1)),
    ("intermediate", "7", dt.date(2012, 1, 1)),
    ("intermediate", "10", dt.date(2014, 1, 1)),
    ("reduced", "5.5", dt.date(2000, 1, 1)),
    ("super_reduced", "2.1", dt.date(2000, 1, 1)),
]


def tax_rates_ensure() -> int:
    """Create the French rates if missing (the data migration does it; tests that flush the
    database, or run without migrations, call this). Returns how many rows were created."""
    created = 0
    for tax_class, rate, valid_from in FRENCH_RATES:
        _obj, new = TaxRate.objects.get_or_create(
            tax_class=tax_class, valid_from=valid_from, defaults={"rate": Decimal(rate)}
        )
        created += new
    return created

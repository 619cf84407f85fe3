"""The price of a booking (fares per traveller type, options) and its VAT: the travel agents'
margin scheme when the operator sells in its own name, the seller's own scheme otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from galerie.pricing.models import VatExemption
from galerie.pricing.services import margin_vat, sale_vat, vat_amount
from galerie.travel.models import TravelOption

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class OptionPrice:
    code: str
    label: str
    amount: Decimal  # for the whole booking (× travellers when priced per traveller)


@dataclass(frozen=True)
class BookingPrice:
    adults: int
    children: int
    adult_price: Decimal
    child_price: Decimal | None
    options: tuple[OptionPrice, ...]
    total: Decimal  # TTC
    # What the operator pays its suppliers for these travellers, TTC (None: cost not known).
    purchase_cost: Decimal | None

    @property
    def travellers(self) -> int:
        return self.adults + self.children

    @property
    def options_total(self) -> Decimal:
        return sum((o.amount for o in self.options), ZERO)


def options_of(*, product_ids) -> dict[int, dict[str, TravelOption]]:
    """{product id: {option code: option}} in one query (the quote, the product page)."""
    found: dict[int, dict[str, TravelOption]] = {pk: {} for pk in product_ids}
    for option in TravelOption.objects.filter(product_id__in=list(found)):
        found[option.product_id][option.code] = option
    return found


def booking_price(
    *, departure, details: dict, options: dict[str, TravelOption] | None = None
) -> BookingPrice:
    """Price cleaned `details` (travel.services.booking_details_clean) on `departure`:
    adults × adult fare (the offer's price) + children × child fare + each option, once per
    traveller when priced per traveller, else once. `options` ({code: option}, the product's)
    may be given pre-loaded to save a query."""
    if options is None:
        options = options_of(product_ids=[departure.offer.product_id])[departure.offer.product_id]
    adults, children = details["adults"], details.get("children", 0)
    adult_price = departure.offer.price
    total = adult_price * adults + (departure.child_price or ZERO) * children
    priced = []
    for code in details.get("options", []):
        option = options[code]
        amount = option.price * (adults + children if option.per_traveller else 1)
        priced.append(OptionPrice(code=code, label=option.label, amount=amount))
    total += sum((o.amount for o in priced), ZERO)
    cost = None
    if departure.cost_adult is not None and (not children or departure.cost_child is not None):
        cost = departure.cost_adult * adults + (departure.cost_child or ZERO) * children
    return BookingPrice(
        adults=adults,
        children=children,
        adult_price=adult_price,
        child_price=departure.child_price,
        options=tuple(priced),
        total=total,
        purchase_cost=cost,
    )


@dataclass(frozen=True)
class BookingVat:
    rate: Decimal  # the tax class's rate (applied to the margin under the margin scheme)
    amount: Decimal  # the VAT the seller owes on the line
    exemption: str = ""  # VatExemption shown to the customer instead of a VAT amount


def booking_vat(*, seller, rate: Decimal, price: BookingPrice) -> BookingVat:
    """The VAT of a trip line. Sold by the operator in its own name: the margin scheme (CGI art.
    266-1-e, 306 ff), VAT on total − purchase cost only, never shown to the customer. Sold by a
    seller in its own name: that seller's scheme, as any line (pricing.sale_vat)."""
    if seller.is_operator:
        return BookingVat(
            rate=rate,
            amount=margin_vat(total=price.total, cost=price.purchase_cost, rate=rate),
            exemption=VatExemption.TRAVEL_MARGIN,
        )
    vat = sale_vat(rate=rate, seller_is_trader=seller.is_trader)
    return BookingVat(
        rate=vat.rate, amount=vat_amount(ttc=price.total, rate=vat.rate), exemption=vat.exemption
    )

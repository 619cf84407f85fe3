"""Reads about orders: the priced quote of a basket (cart, checkout, order_place) and visibility.

`order_quote` is a pure read: it prices a list of (offer_id, quantity) for a storefront, grouped
per seller with each seller's delivery options, and says what is wrong with the basket instead
of raising. Views and templates show its numbers as they are (no money arithmetic elsewhere).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from galerie.catalog.models import WithdrawalException
from galerie.core import clock
from galerie.core.money import format_money
from galerie.orders.errors import OrderLinkExpired, OrderLinkInvalid, line_quantity_message
from galerie.orders.limits import LINE_QUANTITY_MAX, ORDER_TOTAL_MAX
from galerie.orders.models import Order, OrderLine, OrderStatus, SellerOrder, SellerOrderStatus
from galerie.pricing.models import DeliveryKind, DeliveryMethod, VatExemption
from galerie.pricing.services import (
    DeliveryOption,
    VatRow,
    amount_split_by_rate,
    delivery_options,
    sale_vat,
    vat_amount,
    vat_breakdown,
    vat_exemption_label,
    vat_rate,
    vat_rates,
)
from galerie.promotions.errors import VoucherError
from galerie.promotions.models import Voucher
from galerie.promotions.vouchers import (
    VOUCHER_CODES,
    VoucherLine,
    voucher_customer_check,
    voucher_discounts,
    voucher_find,
    voucher_valid_check,
)
from galerie.sellers.models import Offer, offer_purchasable
from galerie.storefronts.selectors import storefront_absolute_url
from galerie.travel.errors import BookingError
from galerie.travel.pricing import BookingPrice, booking_price, booking_vat, options_of
from galerie.travel.services import booking_details_clean

ZERO = Decimal("0.00")
# Code de la consommation, art. L221-18: 14 days to withdraw from the receipt of the goods.
WITHDRAWAL_DAYS = 14


@dataclass
class QuoteProblem:
    # offer_unavailable, out_of_stock, price_changed, bad_quantity, invalid_delivery,
    # order_too_large; trips: departure_past, bad_details, travellers_required
    code: str
    message: str
    offer_id: int | None = None
    available: int | None = None


@dataclass
class QuoteLine:
    offer: Offer
    quantity: int
    unit_price: Decimal
    vat_rate: Decimal
    line_total: Decimal
    vat_amount: Decimal
    available: int
    is_new_book: bool
    vat_exemption: str = ""  # a VatExemption when the line carries no VAT (pricing.sale_vat)
    # A trip: its price by traveller type and options, and its cleaned details (what the
    # order line stores); None for any other line.
    booking: BookingPrice | None = None
    details: dict | None = None

    @property
    def vat_exemption_label(self) -> str:
        return vat_exemption_label(self.vat_exemption)

    @property
    def is_trip(self) -> bool:
        return self.booking is not None

    @property
    def vat_on_margin(self) -> bool:
        """Travel margin scheme: `vat_amount` is the operator's VAT on its margin, never shown
        to the customer (see orders.models.OrderLine.vat_on_margin)."""
        return self.vat_exemption == VatExemption.TRAVEL_MARGIN

    @property
    def offer_id(self) -> int:
        return self.offer.pk

    @property
    def product(self):
        return self.offer.product

    @property
    def title(self) -> str:
        return self.offer.product.title

    @property
    def line_ht(self) -> Decimal:
        return self.line_total - self.vat_amount


@dataclass
class QuoteGroup:
    seller: object
    seller_name: str
    lines: list[QuoteLine]
    delivery_options: list[DeliveryOption]
    chosen: DeliveryOption | None
    subtotal: Decimal
    delivery_fee: Decimal
    # (rate, ttc, vat) parts of the delivery fee, split by the goods' VAT rates.
    delivery_vat: list[tuple[Decimal, Decimal, Decimal]]
    total: Decimal
    vat_exemption: str = ""  # the seller's sales carry no VAT (pricing.sale_vat), delivery too

    @property
    def ships(self) -> bool:
        """Something in this part travels by parcel (a trip alone does not)."""
        return any(not line.is_trip for line in self.lines)


@dataclass
class Quote:
    groups: list[QuoteGroup] = field(default_factory=list)
    items_total: Decimal = ZERO
    delivery_total: Decimal = ZERO
    total: Decimal = ZERO
    vat_total: Decimal = ZERO
    vat_breakdown: list[VatRow] = field(default_factory=list)
    problems: list[QuoteProblem] = field(default_factory=list)
    # The voucher entered (galerie.promotions.vouchers), what it takes off the items (already
    # out of the lines' unit prices and of every total above), or why it does not apply.
    voucher: Voucher | None = None
    discount: Decimal = ZERO
    voucher_error: VoucherError | None = None

    @property
    def is_empty(self) -> bool:
        return not self.groups

    BLOCKING = frozenset(
        {
            "offer_unavailable",
            "out_of_stock",
            "bad_quantity",
            "invalid_delivery",
            "order_too_large",
            "departure_past",
            *VOUCHER_CODES,
            "bad_details",
            "travellers_required",
        }
    )

    @property
    def can_order(self) -> bool:
        return self.can_order_but()

    def can_order_but(self, *codes: str) -> bool:
        """Whether only problems of `codes` (solved later, e.g. travellers named at checkout)
        stand between this basket and an order."""
        blocking = self.BLOCKING - set(codes)
        return bool(self.groups) and not any(p.code in blocking for p in self.problems)

    @property
    def has_trips(self) -> bool:
        return any(line.is_trip for group in self.groups for line in group.lines)

    @property
    def ships(self) -> bool:
        """Some part goes by parcel; an order of trips alone has no delivery to choose."""
        return any(group.ships for group in self.groups)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for group in self.groups for line in group.lines)


def _merge_lines(lines: Iterable[tuple[int, int]], problems: list[QuoteProblem]) -> dict[int, int]:
    merged: dict[int, int] = {}
    for offer_id, quantity in lines:
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
            problems.append(
                QuoteProblem(
                    "bad_quantity", _("La quantité doit être un entier positif."), offer_id
                )
            )
            continue
        merged[int(offer_id)] = merged.get(int(offer_id), 0) + quantity
    for offer_id, quantity in merged.items():
        if quantity > LINE_QUANTITY_MAX:
            problems.append(QuoteProblem("bad_quantity", line_quantity_message(), offer_id))
    return {k: v for k, v in merged.items() if v <= LINE_QUANTITY_MAX}


def _is_subscription(offer: Offer) -> bool:
    try:
        return offer.subscription_plan is not None
    except ObjectDoesNotExist:
        return False


def _departure(offer: Offer):
    """The offer's departure when it is a trip (loaded by select_related), else None."""
    return getattr(offer, "departure", None)


def _no_delivery(on: dt.date) -> DeliveryOption:
    """A seller's part made of trips only: nothing to ship."""
    return DeliveryOption(
        method_id=0,
        label=_("Voyage : sans livraison"),
        kind=DeliveryKind.FLAT,
        fee=ZERO,
        base_fee=ZERO,
        book_floor_applied=False,
        days_min=0,
        days_max=0,
        date_min=on,
        date_max=on,
    )


def _trip_line(
    *, offer, departure, quantity, details, options, rate, on, problems
) -> QuoteLine | None:
    """A trip line priced from its details (travel.booking_price), or None with a problem
    when it cannot be booked as it is. Quantity is the seats taken: adults + children."""
    title = offer.product.title
    if departure.starts_on <= on:
        problems.append(
            QuoteProblem(
                "departure_past",
                _("Le départ du %(d)s de « %(t)s » n'est plus réservable.")
                % {"d": departure.starts_on.strftime("%d/%m/%Y"), "t": title},
                offer.pk,
                0,
            )
        )
        return None
    if not details:
        # Added without details (quantity only): every seat is an adult's.
        details = {"adults": quantity, "children": 0, "options": []}
    try:
        cleaned = booking_details_clean(
            departure=departure, details=details, require_travellers=False, options=options
        )
    except BookingError as exc:
        problems.append(QuoteProblem("bad_details", f"« {title} » : {exc.message}", offer.pk))
        return None
    if cleaned["adults"] + cleaned["children"] != quantity:
        problems.append(
            QuoteProblem(
                "bad_quantity",
                _("« %(t)s » : %(q)d place(s) pour %(n)d voyageur(s).")
                % {"t": title, "q": quantity, "n": cleaned["adults"] + cleaned["children"]},
                offer.pk,
            )
        )
        return None
    if "travellers" not in cleaned:
        problems.append(
            QuoteProblem(
                "travellers_required",
                _("« %(t)s » : indiquez le nom et la date de naissance de chaque voyageur.")
                % {"t": title},
                offer.pk,
            )
        )
    price = booking_price(departure=departure, details=cleaned, options=options)
    vat = booking_vat(seller=offer.seller, rate=rate, price=price)
    return QuoteLine(
        offer=offer,
        quantity=quantity,
        unit_price=offer.price,
        vat_rate=vat.rate,
        line_total=price.total,
        vat_amount=vat.amount,
        available=offer.stock,
        is_new_book=False,
        vat_exemption=vat.exemption,
        booking=price,
        details=cleaned,
    )


def _voucher_apply(
    *, quote: Quote, code: str, email: str, storefront, lines: dict[int, list[QuoteLine]]
) -> None:
    """Take the voucher of `code` off the lines it covers (in place), or say why it does not
    apply as a blocking problem (the customer removes the code or fixes the basket)."""
    every = [line for group in lines.values() for line in group]
    try:
        voucher = voucher_find(code)
        voucher_valid_check(voucher=voucher)
        voucher_customer_check(voucher=voucher, email=email)
        discounts = voucher_discounts(
            voucher=voucher,
            storefront=storefront,
            lines=[
                VoucherLine(
                    key=line.offer_id,
                    offer=line.offer,
                    unit_price=line.unit_price,
                    quantity=line.quantity,
                    discountable=not line.is_trip and not _is_subscription(line.offer),
                )
                for line in every
            ],
        )
    except VoucherError as exc:
        quote.voucher_error = exc
        quote.problems.append(QuoteProblem(exc.code, exc.message))
        return
    quote.voucher = voucher
    for group in lines.values():
        for index, line in enumerate(group):
            unit = discounts.get(line.offer_id)
            if unit is None:
                continue
            price = line.unit_price - unit
            total = price * line.quantity
            group[index] = replace(
                line,
                unit_price=price,
                line_total=total,
                vat_amount=vat_amount(ttc=total, rate=line.vat_rate),
            )
            quote.discount += unit * line.quantity


def order_quote(
    *,
    storefront,
    lines: list[tuple[int, int]],
    details: dict[int, dict] | None = None,
    delivery_choices: dict[int, int] | None = None,
    known_prices: dict[int, Decimal] | None = None,
    on: dt.date | None = None,
    voucher_code: str = "",
    email: str = "",
) -> Quote:
    """Price a basket of (offer_id, quantity) for `storefront`, grouped per seller.

    `delivery_choices` maps seller id → delivery method id (0 = default method); a seller without
    a valid choice gets its cheapest option. `known_prices` (offer id → unit price the shopper
    saw, e.g. the cart's price at add) turns price differences into `price_changed` problems.
    `details` (offer id → the line's details) prices what the offer alone does not say: a trip's
    travellers and options. `voucher_code` (and the customer's `email`, for a per-customer
    limit) takes a voucher's discount off the lines it covers, or adds a voucher_* problem.
    """
    problems: list[QuoteProblem] = []
    wanted = _merge_lines(lines, problems)
    delivery_choices = {int(k): int(v) for k, v in (delivery_choices or {}).items()}
    known_prices = known_prices or {}
    on = on or clock.localdate()
    offers = {
        o.pk: o
        for o in Offer.objects.filter(pk__in=wanted).select_related(
            "seller", "product__product_type", "subscription_plan", "departure"
        )
    }
    trip_products = {o.product_id for o in offers.values() if _departure(o) is not None}
    trip_options = options_of(product_ids=trip_products) if trip_products else {}
    details = details or {}
    rates = vat_rates(on=on)
    by_seller: dict[int, list[QuoteLine]] = {}
    for offer_id, quantity in sorted(wanted.items()):
        offer = offers.get(offer_id)
        if (
            offer is None
            or not offer_purchasable(
                is_active=offer.is_active,
                stock=offer.stock,
                seller_status=offer.seller.status,
                price=offer.price,
                delivery_price=offer.delivery_price,
            )
            or not offer.product.is_active
        ):
            title = offer.product.title if offer else _("Une offre")
            problems.append(
                QuoteProblem(
                    "offer_unavailable",
                    _("« %(t)s » n'est plus disponible.") % {"t": title},
                    offer_id,
                    0,
                )
            )
            continue
        if quantity != 1 and _is_subscription(offer):
            problems.append(
                QuoteProblem(
                    "bad_quantity",
                    _("« %(t)s » : un abonnement se commande à l'unité.")
                    % {"t": offer.product.title},
                    offer_id,
                )
            )
            continue
        if quantity > offer.stock:
            if offer.stock <= 0:
                left = (
                    _("« %(t)s » : plus aucune place.")
                    if _departure(offer) is not None
                    else (_("« %(t)s » : plus aucun exemplaire."))
                )
            elif _departure(offer) is not None:
                left = ngettext(
                    "« %(t)s » : il ne reste qu'une place.",
                    "« %(t)s » : il ne reste que %(n)d places.",
                    offer.stock,
                )
            else:
                left = ngettext(
                    "« %(t)s » : il ne reste qu'un exemplaire.",
                    "« %(t)s » : il ne reste que %(n)d exemplaires.",
                    offer.stock,
                )
            problems.append(
                QuoteProblem(
                    "out_of_stock",
                    left % {"t": offer.product.title, "n": offer.stock},
                    offer_id,
                    offer.stock,
                )
            )
        seen = known_prices.get(offer_id)
        if seen is not None and Decimal(seen) != offer.price:
            problems.append(
                QuoteProblem(
                    "price_changed",
                    _("Le prix de « %(t)s » est passé de %(old)s € à %(new)s €.")
                    % {"t": offer.product.title, "old": seen, "new": offer.price},
                    offer_id,
                )
            )
        tax_class = offer.product.product_type.tax_class
        rate = rates.get(tax_class)
        if rate is None:
            rate = vat_rate(tax_class=tax_class, on=on)  # raises TaxRateMissing
        departure = _departure(offer)
        if departure is not None:
            line = _trip_line(
                offer=offer,
                departure=departure,
                quantity=quantity,
                details=details.get(offer_id) or details.get(str(offer_id)),
                options=trip_options.get(offer.product_id, {}),
                rate=rate,
                on=on,
                problems=problems,
            )
            if line is not None:
                by_seller.setdefault(offer.seller_id, []).append(line)
            continue
        vat = sale_vat(rate=rate, seller_is_trader=offer.seller.is_trader)
        total = offer.price * quantity
        by_seller.setdefault(offer.seller_id, []).append(
            QuoteLine(
                offer=offer,
                quantity=quantity,
                unit_price=offer.price,
                vat_rate=vat.rate,
                line_total=total,
                vat_amount=vat_amount(ttc=total, rate=vat.rate),
                available=offer.stock,
                is_new_book=offer.condition == "new" and offer.product.product_type.is_book,
                vat_exemption=vat.exemption,
            )
        )

    quote = Quote(problems=problems)
    if voucher_code and by_seller:
        _voucher_apply(
            quote=quote, code=voucher_code, email=email, storefront=storefront, lines=by_seller
        )

    methods: dict[int, list[DeliveryMethod]] = {seller_id: [] for seller_id in by_seller}
    for method in DeliveryMethod.objects.filter(seller_id__in=by_seller, is_active=True):
        methods[method.seller_id].append(method)

    vat_lines: list[tuple[Decimal, Decimal, Decimal, str]] = []
    for seller_id, group_lines in by_seller.items():
        seller = group_lines[0].offer.seller
        # A trip is not shipped: only the other lines make a parcel.
        parcel = [line for line in group_lines if not line.is_trip]
        options = (
            delivery_options(
                seller=seller,
                lines=[(line.offer, line.quantity) for line in parcel],
                methods=methods[seller_id],
                today=on,
            )
            if parcel
            else [_no_delivery(on)]
        )
        chosen = options[0] if options else None
        wanted_method = delivery_choices.get(seller_id)
        if wanted_method is not None:
            match = [o for o in options if o.method_id == wanted_method]
            if match:
                chosen = match[0]
            else:
                problems.append(
                    QuoteProblem(
                        "invalid_delivery",
                        _("Ce mode de livraison n'est pas proposé par %(s)s.")
                        % {"s": seller.display_name(storefront)},
                    )
                )
        subtotal = sum((line.line_total for line in group_lines), ZERO)
        fee = chosen.fee if chosen else ZERO
        weights: dict[Decimal, Decimal] = {}
        for line in parcel:
            weights[line.vat_rate] = weights.get(line.vat_rate, ZERO) + line.line_total
        delivery_vat = [
            (rate, part, vat_amount(ttc=part, rate=rate))
            for rate, part in sorted(amount_split_by_rate(amount=fee, weights=weights).items())
        ]
        exemption = parcel[0].vat_exemption if parcel else ""
        vat_lines += [
            (line.vat_rate, line.line_total, line.vat_amount, line.vat_exemption)
            for line in group_lines
        ]
        vat_lines += [(*part, exemption) for part in delivery_vat]
        quote.groups.append(
            QuoteGroup(
                seller=seller,
                seller_name=seller.display_name(storefront),
                lines=group_lines,
                delivery_options=options,
                chosen=chosen,
                subtotal=subtotal,
                delivery_fee=fee,
                delivery_vat=delivery_vat,
                total=subtotal + fee,
                vat_exemption=exemption,
            )
        )
    quote.groups.sort(key=lambda g: (not g.seller.is_operator, g.seller_name, g.seller.pk))
    quote.items_total = sum((g.subtotal for g in quote.groups), ZERO)
    quote.delivery_total = sum((g.delivery_fee for g in quote.groups), ZERO)
    quote.total = quote.items_total + quote.delivery_total
    if quote.total > ORDER_TOTAL_MAX:
        problems.append(
            QuoteProblem(
                "order_too_large",
                _("Une commande ne peut dépasser %(max)s : retirez des articles.")
                % {"max": format_money(ORDER_TOTAL_MAX)},
            )
        )
    quote.vat_breakdown = vat_breakdown(vat_lines)
    quote.vat_total = sum((row.vat for row in quote.vat_breakdown), ZERO)
    return quote


# --- Orders visible to a request ---------------------------------------------------------------


def orders_for_request(request) -> QuerySet[Order]:
    """The orders this visitor may see: their own when logged in, else those in their session."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Order.objects.filter(user=user)
    ids = request.session.get("orders", []) if hasattr(request, "session") else []
    return Order.objects.filter(public_id__in=ids, user__isnull=True)


def order_for_request(request, public_id) -> Order | None:
    """One order if this visitor may see it, else None (callers answer 404, never 403)."""
    return (
        orders_for_request(request).filter(public_id=public_id).select_related("storefront").first()
    )


# A guest order's e-mail link carries `?t=<token>`: its public id signed with the time (salted, so
# no other signature of this site is accepted). The id itself stays in the path, not the token.
_ORDER_LINK_SALT = "galerie.orders.order-link"


def _order_link_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_ORDER_LINK_SALT)


def order_access_token(order: Order) -> str:
    """The token that opens this guest order, on any device, for GALERIE_ORDER_LINK_DAYS."""
    signer = _order_link_signer()
    return signer.sign(str(order.public_id)).split(signer.sep, 1)[1]


def order_for_link(*, public_id, token: str) -> Order | None:
    """The guest order that `token` opens, or None if there is none (answer 404).

    Raises OrderLinkInvalid (tampered, or issued for another order) or OrderLinkExpired before
    any query, so a bad token says nothing about whether the order exists.
    """
    signer = _order_link_signer()
    try:
        signer.unsign(
            f"{public_id}{signer.sep}{token}",
            max_age=dt.timedelta(days=settings.GALERIE_ORDER_LINK_DAYS),
        )
    except signing.SignatureExpired as exc:
        raise OrderLinkExpired(
            _(
                "Ce lien de suivi a expiré. Connectez-vous à votre compte, ou écrivez-nous en "
                "indiquant le numéro de la commande."
            )
        ) from exc
    except signing.BadSignature as exc:
        raise OrderLinkInvalid(
            _("Ce lien de suivi n'est pas valide : vérifiez qu'il a été copié en entier.")
        ) from exc
    # Only guest orders: a customer's order opens once they log in, never by a link alone.
    return (
        Order.objects.filter(public_id=public_id, user__isnull=True)
        .select_related("storefront")
        .first()
    )


def order_public_url(order: Order) -> str:
    """The order page as an absolute URL on its storefront's host, for e-mails; a guest's link
    carries the signed token so it opens on another device."""
    path = order.get_absolute_url()
    if order.user_id is None:
        path = f"{path}?t={order_access_token(order)}"
    return storefront_absolute_url(storefront=order.storefront, path=path)


def order_vat_breakdown(order: Order, *, seller_order: SellerOrder | None = None) -> list[VatRow]:
    """Totals per rate of a placed order (or one seller's part: its invoice), from the stored
    lines and delivery parts."""
    if seller_order is not None:
        lines, parts_of = seller_order.lines.all(), [seller_order]
    else:
        lines, parts_of = order.lines.all(), order.seller_orders.all()
    parts = [
        (line.vat_rate, line.line_total, line.vat_amount, line.vat_exemption) for line in lines
    ]
    for seller_order in parts_of:
        parts += [
            (Decimal(p["rate"]), Decimal(p["ttc"]), Decimal(p["vat"]), p.get("exemption", ""))
            for p in seller_order.delivery_vat
        ]
    return vat_breakdown(parts)


def withdrawal_cutoff(*, on: dt.date, tz: dt.tzinfo | None = None) -> dt.datetime:
    """The one withdrawal cutoff: goods delivered strictly before this instant are past their
    14-day withdrawal period on day `on` (payouts, the seller portal's money page).

    As for every period counted in days (code de procédure civile art. 641-642, règlement CEE
    1182/71), the day of delivery does not count: goods delivered on day D can be sent back until
    the end of D + 14, so on day `on` the period is over for deliveries up to the end of
    `on` − 15, i.e. before the start of `on` − 14 in the mall's time zone. Not handled: the
    extension to the next working day when D + 14 falls on a Saturday, Sunday or holiday.
    """
    tz = tz or timezone.get_current_timezone()
    return dt.datetime.combine(on - dt.timedelta(days=WITHDRAWAL_DAYS), dt.time.min, tzinfo=tz)


def withdrawal_open(*, delivered_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether goods delivered at `delivered_at` may still be withdrawn at `now`: the same
    cutoff as `withdrawal_cutoff`, so the customer's form, payouts and the portal agree."""
    return delivered_at >= withdrawal_cutoff(on=timezone.localdate(now))


def withdrawal_deadline(*, delivered_at: dt.datetime) -> dt.datetime:
    """The last minute of the withdrawal period (23:59 on D + 14, mall time), for display."""
    last_day = timezone.localdate(delivered_at) + dt.timedelta(days=WITHDRAWAL_DAYS)
    return timezone.make_aware(dt.datetime.combine(last_day, dt.time(23, 59)))


def line_withdrawal_refusal(line: OrderLine, *, seal_intact: bool | None = None) -> str | None:
    """Why this order line cannot be withdrawn (L221-28 exceptions, a private seller), or None.

    The exceptions by product class are the product type's `withdrawal_exception` (catalog); a
    trip is a dated travel service whatever its type; a press subscription is withdrawn by its
    own pro-rata flow (payments.refunds.subscription_withdraw), never unit by unit. A sealed
    audio, video or software product is refused once the customer states the seal is broken;
    `seal_intact` None means not stated yet (the form asks)."""
    if getattr(line, "booking", None) is not None:
        return _(
            "Voyage à date déterminée : pas de droit de rétractation (article L221-28 12°) ; "
            "il s'annule selon son barème depuis la page de la commande."
        )
    if getattr(line, "subscription_term", None) is not None:
        return _(
            "Un abonnement se rétracte depuis la page de l'abonnement (remboursement au prorata "
            "des numéros servis)."
        )
    product_type = line.product.product_type if line.product_id else None
    exception = product_type.withdrawal_exception if product_type else WithdrawalException.NONE
    if exception == WithdrawalException.PERSONALISED:
        return _(
            "Bien confectionné selon vos spécifications ou nettement personnalisé : pas de droit "
            "de rétractation (article L221-28 3°)."
        )
    if exception == WithdrawalException.PRESS_ISSUE:
        return _(
            "Journal ou magazine vendu au numéro : pas de droit de rétractation (article "
            "L221-28 10°)."
        )
    if exception == WithdrawalException.DATED_SERVICE:
        return _(
            "Prestation de voyage ou de loisirs à une date déterminée : pas de droit de "
            "rétractation (article L221-28 12°)."
        )
    if exception == WithdrawalException.SEALED_MEDIA and seal_intact is False:
        return _(
            "Enregistrement audio ou vidéo, ou logiciel, descellé après la livraison : pas de "
            "droit de rétractation (article L221-28 9°)."
        )
    return None


def line_needs_seal_statement(line: OrderLine) -> bool:
    """Whether the withdrawal form must ask if the seal is intact (sealed media only)."""
    if not line.product_id:
        return False
    return line.product.product_type.withdrawal_exception == WithdrawalException.SEALED_MEDIA


def seller_orders_for_seller(*, seller, status: str | None = None) -> QuerySet[SellerOrder]:
    """A seller's parts of orders (seller portal, back office), newest first, lines prefetched.

    Unpaid parts are left out: a seller prepares only what has been paid for.
    """
    qs = (
        SellerOrder.objects.filter(seller=seller)
        .exclude(status=SellerOrderStatus.PENDING_PAYMENT)
        .select_related("order")
        .prefetch_related("lines")
        .order_by("-created_at", "-pk")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


# --- The operator's day (the back office's home) ------------------------------------------------


@dataclass(frozen=True)
class DayOrders:
    placed: int  # every order placed that day, whatever became of it
    paid: int  # of which paid (by now)
    paid_total: Decimal  # what the paid ones came to, incl. VAT


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight in the mall's time zone (23 or 25 hours on the clock-change days),
    the same span as the admin's date hierarchy for that day."""
    start = dt.datetime.combine(day, dt.time.min)
    return timezone.make_aware(start), timezone.make_aware(start + dt.timedelta(days=1))


def orders_placed_on(*, day: dt.date) -> DayOrders:
    """One aggregate over the day's orders, a range on `created_at` (indexed)."""
    start, end = day_bounds(day)
    paid = Q(status=OrderStatus.PAID)
    row = Order.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        placed=Count("pk"), paid=Count("pk", filter=paid), paid_total=Sum("total", filter=paid)
    )
    return DayOrders(
        placed=row["placed"], paid=row["paid"], paid_total=row["paid_total"] or Decimal("0.00")
    )


def seller_orders_awaiting_acceptance() -> QuerySet[SellerOrder]:
    """Paid seller orders that their seller has not accepted yet (nor cancelled)."""
    return SellerOrder.objects.filter(status=SellerOrderStatus.PAID)

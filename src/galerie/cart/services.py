"""Every change to a cart: add, update, remove, merge on login, clear.

A line may only hold an offer the shopper could buy on this storefront right now (verified seller,
active, in stock, product in the storefront's assortment), and never more units than its stock.
A refused change leaves the cart exactly as it was.
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from galerie.cart.errors import (
    CartError,
    CartLineNotFound,
    InvalidDetails,
    InvalidQuantity,
    NotEnoughStock,
    OfferNotPurchasable,
)
from galerie.cart.locks import cart_lock
from galerie.cart.models import Cart, CartLine
from galerie.cart.selectors import cart_line_details, cart_lines
from galerie.core import clock
from galerie.orders.errors import line_quantity_message
from galerie.orders.limits import LINE_QUANTITY_MAX
from galerie.orders.selectors import order_quote
from galerie.promotions.errors import VoucherNotApplicable
from galerie.promotions.vouchers import voucher_customer_check, voucher_find, voucher_valid_check
from galerie.sellers.models import Offer
from galerie.sellers.selectors import offers_purchasable
from galerie.storefronts.selectors import storefront_category_ids
from galerie.subscriptions.errors import InvalidSubscriptionDetails
from galerie.subscriptions.models import SubscriptionPlan
from galerie.subscriptions.services import subscription_details_clean
from galerie.travel.errors import BookingError
from galerie.travel.services import booking_details_clean


def _touch(cart: Cart) -> None:
    """Record activity on the cart (stale guest carts are purged by age)."""
    Cart.objects.filter(pk=cart.pk).update(updated_at=clock.now())


def _check_quantity(quantity) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise InvalidQuantity(_("La quantité doit être un nombre entier."), field="quantity")
    if quantity < 1 or quantity > LINE_QUANTITY_MAX:
        raise InvalidQuantity(line_quantity_message(), field="quantity")
    return quantity


def _purchasable_offer(*, cart: Cart, offer_id) -> Offer:
    offer = None
    if isinstance(offer_id, int) and not isinstance(offer_id, bool):
        offer = (
            offers_purchasable()
            .filter(pk=offer_id, product__is_active=True)
            .select_related("product", "seller", "departure", "subscription_plan")
            .first()
        )
    if offer is None or offer.product.category_id not in set(
        storefront_category_ids(cart.storefront)
    ):
        raise OfferNotPurchasable(
            _("Cette offre n'est pas disponible sur cette boutique."), field="offer_id"
        )
    departure = _departure(offer)
    if departure is not None and departure.starts_on <= clock.localdate():
        raise OfferNotPurchasable(
            _("Ce départ n'est plus réservable."), code="departure_past", field="offer_id"
        )
    return offer


def _departure(offer: Offer):
    """The offer's departure when it is a trip, else None."""
    return getattr(offer, "departure", None)


def _trip_details(*, offer: Offer, details, quantity: int, require_travellers: bool) -> dict:
    """A trip line's details, checked (travel.booking_details_clean); without details every
    seat is an adult's. The line's quantity is its seats: adults + children."""
    if details is None:
        details = {"adults": quantity, "children": 0, "options": []}
    try:
        cleaned = booking_details_clean(
            departure=offer.departure, details=details, require_travellers=require_travellers
        )
    except BookingError as exc:
        raise CartError(exc.message, code=exc.code, field=exc.field) from None
    return cleaned


def _seats(details: dict) -> int:
    return details["adults"] + details["children"]


def _check_stock(*, offer: Offer, quantity: int, already: int = 0) -> None:
    if quantity + already <= offer.stock:
        return
    if _departure(offer) is not None and offer.stock <= 0:
        message = _("Plus aucune place pour « %(title)s » à ce départ.") % {
            "title": offer.product.title
        }
    elif _departure(offer) is not None:
        message = ngettext(
            "Il ne reste qu'une place pour « %(title)s » à ce départ.",
            "Il ne reste que %(stock)d places pour « %(title)s » à ce départ.",
            offer.stock,
        ) % {"stock": offer.stock, "title": offer.product.title}
    elif offer.stock <= 0:
        message = _("Stock épuisé chez %(seller)s : « %(title)s » n'est plus disponible.") % {
            "title": offer.product.title,
            "seller": offer.seller.name,
        }
    else:
        # The seller's name comes before the end of the sentence: « Sophie L. » would end it
        # with two full stops.
        message = ngettext(
            "Stock insuffisant : chez %(seller)s, il ne reste qu'un exemplaire de « %(title)s ».",
            "Stock insuffisant : chez %(seller)s, il ne reste que %(stock)d exemplaires de "
            "« %(title)s ».",
            offer.stock,
        ) % {"stock": offer.stock, "title": offer.product.title, "seller": offer.seller.name}
    if already:
        message += " " + ngettext(
            "Vous en avez déjà %(n)d dans votre panier.",
            "Vous en avez déjà %(n)d dans votre panier.",
            already,
        ) % {"n": already}
    raise NotEnoughStock(message, field="quantity")


def _is_subscription(offer: Offer) -> bool:
    try:
        return offer.subscription_plan is not None
    except SubscriptionPlan.DoesNotExist:
        return False


def _details_clean(*, offer: Offer, details) -> dict:
    """What a line of `offer` may carry: a subscription's renewal choice; nothing for goods."""
    if _is_subscription(offer):
        try:
            return subscription_details_clean(details)
        except InvalidSubscriptionDetails as exc:
            raise InvalidDetails(exc.message, field="details") from None
    if details:
        raise InvalidDetails(_("Cette offre ne prend pas de précisions."), field="details")
    return {}


def _subscription_single(*, offer: Offer, quantity: int, already: int = 0) -> None:
    if _is_subscription(offer) and quantity + already != 1:
        message = (
            _("Cet abonnement est déjà dans votre panier : il se commande à l'unité.")
            if already
            else _("Un abonnement se commande à l'unité.")
        )
        raise InvalidQuantity(message, field="quantity")


def cart_create(*, storefront, user=None) -> Cart:
    if user is not None:
        cart, _created = Cart.objects.get_or_create(storefront=storefront, user=user)
        return cart
    return Cart.objects.create(storefront=storefront)


@transaction.atomic
def cart_add(
    *, cart: Cart, offer_id: int, quantity: int | None = None, details: dict | None = None
) -> CartLine:
    """Add `quantity` units of an offer (adding to an existing line of the same offer).

    `details` are what the offer alone does not say. A trip's departure is booked by them
    ({"adults", "children", "options"}, travellers optional until checkout): its quantity is the
    number of travellers (`quantity`, if given, must match) and adding it again replaces the
    line's booking rather than adding to it. A subscription carries its tacit renewal choice
    {"auto_renew": bool} and is added once, quantity 1. Goods take no details."""
    cart_lock(cart_id=cart.pk)
    offer = _purchasable_offer(cart=cart, offer_id=offer_id)
    if _departure(offer) is not None:
        return _trip_add(cart=cart, offer=offer, quantity=quantity, details=details)
    quantity = 1 if quantity is None else quantity
    _check_quantity(quantity)
    details = _details_clean(offer=offer, details=details)
    line = CartLine.objects.filter(cart=cart, offer=offer).first()
    already = line.quantity if line else 0
    _subscription_single(offer=offer, quantity=quantity, already=already)
    if already + quantity > LINE_QUANTITY_MAX:
        _check_quantity(already + quantity)
    _check_stock(offer=offer, quantity=quantity, already=already)
    if line is None:
        line = CartLine.objects.create(
            cart=cart,
            offer=offer,
            quantity=quantity,
            unit_price_at_add=offer.price,
            details=details,
        )
    else:
        line.quantity = already + quantity
        line.save(update_fields=["quantity", "updated_at"])
    _touch(cart)
    return line


def _trip_add(*, cart: Cart, offer: Offer, quantity: int | None, details) -> CartLine:
    if quantity is not None:
        _check_quantity(quantity)
    cleaned = _trip_details(
        offer=offer,
        details=details,
        quantity=quantity or 1,
        require_travellers=False,
    )
    seats = _seats(cleaned)
    if quantity is not None and quantity != seats:
        raise InvalidQuantity(
            _("Un voyage se réserve pour %(n)d voyageur(s) : la quantité doit être %(n)d.")
            % {"n": seats},
            field="quantity",
        )
    _check_stock(offer=offer, quantity=seats)
    line, _created = CartLine.objects.update_or_create(
        cart=cart,
        offer=offer,
        defaults={"quantity": seats, "details": cleaned, "unit_price_at_add": offer.price},
    )
    _touch(cart)
    return line


@transaction.atomic
def cart_line_travellers_set(*, cart: Cart, line_id: int, travellers) -> CartLine:
    """Name the travellers of a trip line (checkout): each one's first name, last name and
    birth date, checked against the line's adults and children on the departure date."""
    cart_lock(cart_id=cart.pk)
    line = _line_of(cart=cart, line_id=line_id)
    departure = _departure(line.offer)
    if departure is None:
        raise CartError(
            _("Cette ligne n'est pas un voyage."), code="details_unexpected", field="travellers"
        )
    current = line.details or {"adults": line.quantity, "children": 0, "options": []}
    cleaned = _trip_details(
        offer=line.offer,
        details={**current, "travellers": travellers},
        quantity=line.quantity,
        require_travellers=True,
    )
    line.details = cleaned
    line.save(update_fields=["details", "updated_at"])
    _touch(cart)
    return line


def _line_of(*, cart: Cart, line_id) -> CartLine:
    line = None
    if isinstance(line_id, int) and not isinstance(line_id, bool):
        line = (
            CartLine.objects.filter(pk=line_id, cart_id=cart.pk)
            .select_related(
                "offer__product", "offer__seller", "offer__departure", "offer__subscription_plan"
            )
            .first()
        )
    if line is None:
        # Another customer's line looks exactly like a line that does not exist.
        raise CartLineNotFound(_("Cette ligne n'est pas dans votre panier."))
    return line


@transaction.atomic
def cart_update(*, cart: Cart, line_id: int, quantity: int) -> CartLine | None:
    """Set a line's quantity; 0 removes the line (returns None)."""
    cart_lock(cart_id=cart.pk)
    line = _line_of(cart=cart, line_id=line_id)
    if quantity == 0 and not isinstance(quantity, bool):
        line.delete()
        _touch(cart)
        return None
    _check_quantity(quantity)
    if quantity != line.quantity and _departure(line.offer) is not None:
        raise InvalidQuantity(
            _("Le nombre de voyageurs se change sur la page du voyage."), field="quantity"
        )
    _subscription_single(offer=line.offer, quantity=quantity)
    if quantity > line.quantity:
        # Lowering a quantity is always allowed; raising it needs the offer to still be on sale.
        offer = _purchasable_offer(cart=cart, offer_id=line.offer_id)
        _check_stock(offer=offer, quantity=quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity", "updated_at"])
    _touch(cart)
    return line


@transaction.atomic
def cart_line_details_set(*, cart: Cart, line_id: int, details: dict) -> CartLine:
    """Change what a line carries (a subscription's tacit renewal choice), checked as at add."""
    cart_lock(cart_id=cart.pk)
    line = _line_of(cart=cart, line_id=line_id)
    line.details = _details_clean(offer=line.offer, details=details)
    line.save(update_fields=["details", "updated_at"])
    _touch(cart)
    return line


@transaction.atomic
def cart_remove(*, cart: Cart, line_id: int) -> None:
    cart_lock(cart_id=cart.pk)
    _line_of(cart=cart, line_id=line_id).delete()
    _touch(cart)


def cart_clear(*, cart: Cart) -> None:
    CartLine.objects.filter(cart_id=cart.pk).delete()
    if cart.voucher_code:  # used by the order just placed
        Cart.objects.filter(pk=cart.pk).update(voucher_code="")
        cart.voucher_code = ""


@transaction.atomic
def cart_voucher_set(*, cart: Cart, code: str, email: str = "") -> Cart:
    """Enter a voucher code on the cart: refused (VoucherError, cart unchanged) when the code is
    unknown, not valid now, used up, already used by this customer (`email`) or covers nothing
    in the cart; the order's own checks run again when it is placed."""
    cart_lock(cart_id=cart.pk)
    voucher = voucher_find(code)
    voucher_valid_check(voucher=voucher)
    voucher_customer_check(voucher=voucher, email=email)
    quote = order_quote(
        storefront=cart.storefront,
        lines=cart_lines(cart),
        details=cart_line_details(cart),
        voucher_code=voucher.code,
        email=email,
    )
    if quote.voucher_error is not None:
        raise quote.voucher_error
    if quote.voucher is None:
        raise VoucherNotApplicable(
            _("Ajoutez d'abord au panier les articles concernés par le bon « %(c)s ».")
            % {"c": voucher.code}
        )
    cart.voucher_code = voucher.code
    cart.save(update_fields=["voucher_code", "updated_at"])
    return cart


@transaction.atomic
def cart_voucher_remove(*, cart: Cart) -> Cart:
    cart_lock(cart_id=cart.pk)
    cart.voucher_code = ""
    cart.save(update_fields=["voucher_code", "updated_at"])
    return cart


@transaction.atomic
def cart_merge_on_login(*, user, guest_tokens: list[str]) -> list[str]:
    """Move the lines of a guest's carts (one per storefront) into the user's carts.

    Quantities of the same offer add up, capped at the offer's stock so a merged cart never
    holds what could not be bought. Returns French notices about lines that were capped.
    """
    notices: list[str] = []
    for guest in Cart.objects.filter(token__in=guest_tokens, user__isnull=True).select_related(
        "storefront"
    ):
        mine = Cart.objects.filter(storefront_id=guest.storefront_id, user=user).first()
        if mine is None:
            guest.user = user
            guest.save(update_fields=["user", "updated_at"])
            continue
        cart_lock(cart_id=mine.pk)
        existing = {line.offer_id: line for line in mine.lines.select_related("offer__product")}
        for line in guest.lines.select_related(
            "offer__product", "offer__departure", "offer__subscription_plan"
        ):
            target = existing.get(line.offer_id)
            if target is None:
                line.cart = mine
                line.save(update_fields=["cart", "updated_at"])
                continue
            if line.details and _departure(line.offer) is not None:
                # A booking (a trip) is replaced by the latest one, never added to.
                target.quantity, target.details = line.quantity, line.details
                target.save(update_fields=["quantity", "details", "updated_at"])
                continue
            if _is_subscription(line.offer):
                # One subscription, not two: the choice just made as a guest is the latest.
                target.details = line.details
                target.save(update_fields=["details", "updated_at"])
                continue
            wanted = target.quantity + line.quantity
            capped = max(1, min(wanted, line.offer.stock, LINE_QUANTITY_MAX))
            if capped < wanted:
                notices.append(
                    _("Quantité de « %(title)s » ramenée à %(n)d (stock disponible).")
                    % {"title": line.offer.product.title, "n": capped}
                )
            target.quantity = capped
            target.save(update_fields=["quantity", "updated_at"])
        guest.delete()
    return notices


def carts_purge_stale(*, older_than_days: int = 30) -> int:
    """Delete guest carts untouched for `older_than_days` (their session is long gone).

    Customers' carts are kept: they are waiting for the next login.
    """
    if older_than_days < 1:
        raise InvalidQuantity(_("La durée doit être d'au moins un jour."))
    limit = clock.now() - dt.timedelta(days=older_than_days)
    stale = Cart.objects.filter(user__isnull=True, updated_at__lt=limit)
    count = stale.count()
    stale.delete()
    return count

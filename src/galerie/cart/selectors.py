"""Reads about carts: which cart a request (or an API token) designates, and what it holds.

A guest's cart token lives in the session under `cart_tokens` (one per storefront), so Django's
session rotation on login keeps it and the login view can merge it into the user's cart.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from galerie.cart.models import Cart, CartLine
from galerie.sellers.models import SellerStatus

SESSION_KEY = "cart_tokens"


def session_cart_tokens(request) -> list[str]:
    return list((request.session.get(SESSION_KEY) or {}).values())


def session_cart_tokens_forget(request) -> None:
    request.session.pop(SESSION_KEY, None)


def cart_for_token(*, storefront, token: str) -> Cart | None:
    """A guest cart by its token, only on the storefront it belongs to."""
    if not token or storefront is None:
        return None
    return Cart.objects.filter(token=token, storefront=storefront, user__isnull=True).first()


def cart_for_request(request, *, create: bool = False) -> Cart | None:
    """The visitor's cart on this storefront: the user's when logged in, else the session's."""
    from galerie.cart.services import cart_create

    storefront = getattr(request, "storefront", None)
    if storefront is None:
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        cart = Cart.objects.filter(storefront=storefront, user=user).first()
        if cart is None and create:
            cart = cart_create(storefront=storefront, user=user)
        return cart
    tokens = request.session.get(SESSION_KEY) or {}
    cart = cart_for_token(storefront=storefront, token=tokens.get(str(storefront.pk), ""))
    if cart is None and create:
        cart = cart_create(storefront=storefront)
        tokens[str(storefront.pk)] = cart.token
        request.session[SESSION_KEY] = tokens
    return cart


def cart_lines(cart: Cart | None) -> list[tuple[int, int]]:
    """(offer_id, quantity) pairs, the shape order_quote and order_place take."""
    if cart is None:
        return []
    return list(cart.lines.order_by("pk").values_list("offer_id", "quantity"))


def cart_item_count(cart: Cart | None) -> int:
    if cart is None:
        return 0
    return sum(q for _offer, q in cart_lines(cart))


@dataclass
class LineNotice:
    """Something that changed about a line since it was added (shown above the cart)."""

    kind: str  # "price_up" | "price_down" | "stock_low" | "unavailable"
    line_id: int
    title: str
    old_price: Decimal | None = None
    new_price: Decimal | None = None
    stock: int | None = None


@dataclass
class CartPage:
    cart: Cart | None
    lines: list[CartLine] = field(default_factory=list)
    notices: list[LineNotice] = field(default_factory=list)
    quote: object | None = None
    line_for_offer: dict[int, CartLine] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def has_blocking_problems(self) -> bool:
        return any(n.kind in {"stock_low", "unavailable"} for n in self.notices)


def cart_line_notices(lines: list[CartLine]) -> list[LineNotice]:
    notices = []
    for line in lines:
        offer = line.offer
        title = offer.product.title
        if not offer.is_active or offer.seller.status != SellerStatus.VERIFIED or not offer.stock:
            notices.append(LineNotice("unavailable", line.pk, title))
            continue
        if offer.stock < line.quantity:
            notices.append(LineNotice("stock_low", line.pk, title, stock=offer.stock))
        if offer.price != line.unit_price_at_add:
            kind = "price_up" if offer.price > line.unit_price_at_add else "price_down"
            notices.append(
                LineNotice(
                    kind, line.pk, title, old_price=line.unit_price_at_add, new_price=offer.price
                )
            )
    return notices


def cart_page(*, cart: Cart | None, storefront, delivery_choices=None) -> CartPage:
    """Everything the cart page and the checkout recap show, priced by the orders domain."""
    from galerie.orders.selectors import order_quote

    if cart is None:
        return CartPage(cart=None)
    lines = list(
        cart.lines.select_related("offer__product", "offer__seller").order_by("created_at", "pk")
    )
    page = CartPage(
        cart=cart,
        lines=lines,
        notices=cart_line_notices(lines),
        line_for_offer={line.offer_id: line for line in lines},
    )
    if lines:
        page.quote = order_quote(
            storefront=storefront,
            lines=[(line.offer_id, line.quantity) for line in lines],
            delivery_choices=delivery_choices or None,
        )
    return page


DELIVERY_SESSION_KEY = "delivery_choices"


def session_delivery_choices(request) -> dict[int, int]:
    """The delivery method chosen per seller ({seller_id: method_id}) on this storefront."""
    storefront = getattr(request, "storefront", None)
    if storefront is None:
        return {}
    raw = (request.session.get(DELIVERY_SESSION_KEY) or {}).get(str(storefront.pk)) or {}
    return {int(k): int(v) for k, v in raw.items()}


def session_delivery_choices_set(request, choices: dict[int, int]) -> None:
    storefront = request.storefront
    stored = request.session.get(DELIVERY_SESSION_KEY) or {}
    stored[str(storefront.pk)] = {str(k): int(v) for k, v in choices.items()}
    request.session[DELIVERY_SESSION_KEY] = stored

"""Reads about carts: which cart a request (or an API token) designates, and what it holds.

A guest's cart token lives in the session under `cart_tokens` (one per storefront), so Django's
session rotation on login keeps it and the login view can merge it into the user's cart.
"""

from dataclasses import dataclass, field

from django.db.models import Sum

from galerie.cart.models import Cart, CartLine
from galerie.orders.selectors import order_quote

SESSION_KEY = "cart_tokens"
# Quote problems that checkout itself solves: a trip's travellers are named there.
CHECKOUT_SOLVES = ("travellers_required",)


def session_cart_tokens(request) -> list[str]:
    return list((request.session.get(SESSION_KEY) or {}).values())


def session_cart_tokens_forget(request) -> None:
    request.session.pop(SESSION_KEY, None)


def cart_for_token(*, storefront, token: str) -> Cart | None:
    """A guest cart by its token, only on the storefront it belongs to."""
    if not token or storefront is None or "\x00" in token:  # NUL: PostgreSQL refuses the query
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


def cart_line_details(cart: Cart | None) -> dict[int, dict]:
    """{offer_id: details} of the lines that carry details (a trip's travellers, a renewal
    choice), the shape order_quote and order_place take alongside `cart_lines`."""
    if cart is None:
        return {}
    return {
        offer_id: details
        for offer_id, details in cart.lines.values_list("offer_id", "details")
        if details
    }


def cart_lines_and_details(cart: Cart | None) -> tuple[list[tuple[int, int]], dict[int, dict]]:
    """`cart_lines` and `cart_line_details` in one query (the checkout's, under the cart lock)."""
    if cart is None:
        return [], {}
    rows = list(cart.lines.order_by("pk").values_list("offer_id", "quantity", "details"))
    lines = [(offer_id, quantity) for offer_id, quantity, _details in rows]
    return lines, {offer_id: details for offer_id, _quantity, details in rows if details}


def cart_item_count(cart: Cart | None) -> int:
    if cart is None:
        return 0
    return sum(q for _offer, q in cart_lines(cart))


# Where a view that has loaded the cart already leaves its count for the header (`cart_page_seen`).
_REQUEST_COUNT = "_galerie_cart_item_count"


def cart_item_count_for_request(request) -> int:
    """How many items the visitor's cart on this storefront holds, for the header: the count a
    view already has (`cart_page_seen`), else at most one query — none for a guest whose session
    names no cart here."""
    known = request.__dict__.get(_REQUEST_COUNT)
    if known is not None:
        return known
    storefront = getattr(request, "storefront", None)
    if storefront is None:
        return 0
    lines = CartLine.objects.filter(cart__storefront=storefront)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        lines = lines.filter(cart__user=user)
    else:
        token = (request.session.get(SESSION_KEY) or {}).get(str(storefront.pk))
        if not token or "\x00" in token:
            return 0
        lines = lines.filter(cart__token=token, cart__user__isnull=True)
    return lines.aggregate(n=Sum("quantity"))["n"] or 0


def cart_page_seen(request, page: "CartPage") -> None:
    """Remember the count of the cart a view has just loaded, so the header reads no more."""
    request.__dict__[_REQUEST_COUNT] = page.item_count


@dataclass
class CartPage:
    """The cart as pages show it: CartLines (for the forms) beside the orders domain's quote.

    `quote.problems` says what changed since a line was added (price, stock, offer gone);
    `unavailable_lines` are lines the quote could not price, shown so they can be removed.
    """

    cart: Cart | None
    lines: list[CartLine] = field(default_factory=list)
    quote: object | None = None
    line_for_offer: dict[int, CartLine] = field(default_factory=dict)
    unavailable_lines: list[CartLine] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def problems(self) -> list:
        """What changed since the lines were added; travellers are named at checkout, so their
        absence is not one."""
        if self.quote is None:
            return []
        return [p for p in self.quote.problems if p.code not in CHECKOUT_SOLVES]

    @property
    def has_blocking_problems(self) -> bool:
        return self.quote is not None and not self.quote.can_order_but(*CHECKOUT_SOLVES)

    @property
    def needs_travellers(self) -> bool:
        return self.quote is not None and any(
            p.code == "travellers_required" for p in self.quote.problems
        )


def cart_page(*, cart: Cart | None, storefront, delivery_choices=None) -> CartPage:
    """Everything the cart page and the checkout recap show, priced by the orders domain."""
    if cart is None:
        return CartPage(cart=None)
    lines = list(
        cart.lines.select_related("offer__product", "offer__seller").order_by("created_at", "pk")
    )
    page = CartPage(cart=cart, lines=lines, line_for_offer={ln.offer_id: ln for ln in lines})
    if lines:
        basket = [(line.offer_id, line.quantity) for line in lines]
        known = {line.offer_id: line.unit_price_at_add for line in lines}
        details = {line.offer_id: line.details for line in lines if line.details}
        page.quote = order_quote(
            storefront=storefront,
            lines=basket,
            details=details,
            delivery_choices=delivery_choices or None,
            known_prices=known,
            voucher_code=cart.voucher_code,
        )
        if delivery_choices and any(p.code == "invalid_delivery" for p in page.quote.problems):
            # A remembered choice no longer offered (cart or seller's methods changed): fall
            # back to that seller's cheapest option rather than blocking the order.
            offered = {
                g.seller.pk: {o.method_id for o in g.delivery_options} for g in page.quote.groups
            }
            still_valid = {
                seller: method
                for seller, method in delivery_choices.items()
                if method in offered.get(seller, ())
            }
            page.quote = order_quote(
                storefront=storefront,
                lines=basket,
                details=details,
                delivery_choices=still_valid or None,
                known_prices=known,
                voucher_code=cart.voucher_code,
            )
        priced = {ql.offer_id for group in page.quote.groups for ql in group.lines}
        page.unavailable_lines = [line for line in lines if line.offer_id not in priced]
        for group in page.quote.groups:
            for quote_line in group.lines:
                # The form of each priced line needs its cart line id.
                quote_line.cart_line = page.line_for_offer[quote_line.offer_id]
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

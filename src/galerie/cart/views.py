"""Cart pages under /panier/: show the cart, add an offer, change or remove a line.

Every form works without JavaScript (POST then redirect); with htmx the same endpoints answer
with a fragment so quantity changes update the cart in place.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galerie.cart import services
from galerie.cart.errors import CartError, CartLineNotFound, InvalidQuantity
from galerie.cart.selectors import (
    cart_for_request,
    cart_item_count,
    cart_page,
    cart_page_seen,
    session_delivery_choices,
)
from galerie.core.errors import DomainError
from galerie.media.selectors import product_pictures_attach


def _storefront_or_404(request):
    if getattr(request, "storefront", None) is None:
        raise Http404(_("Le panier n'existe que sur une boutique."))
    return request.storefront


def _int(value, *, field: str) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        if field == "quantity":
            message = _("La quantité doit être un nombre entier.")
            raise InvalidQuantity(message, field=field) from None
        raise Http404 from None


def _count(value, *, field: str) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise CartError(_("Indiquez un nombre de voyageurs."), field=field) from None


def _trip_details(post) -> dict | None:
    """A trip's booking form (adults, children, options), or None for any other offer."""
    if "adults" not in post:
        return None
    return {
        "adults": _count(post.get("adults"), field="adults"),
        "children": _count(post.get("children") or "0", field="children"),
        "options": post.getlist("options"),
    }


def _details(request) -> dict | None:
    """A subscription form's renewal choice: a hidden "0" then the checkbox's "1" when ticked,
    so an unticked box still says "no" (None: the form asked nothing)."""
    values = request.POST.getlist("auto_renew")
    if not values:
        return None
    return {"auto_renew": "1" in values}


def _render_cart(request, *, status: int = 200, fragment: bool = False):
    storefront = _storefront_or_404(request)
    cart = cart_for_request(request)
    page = cart_page(
        cart=cart, storefront=storefront, delivery_choices=session_delivery_choices(request)
    )
    cart_page_seen(request, page)  # the header's count, without another query
    if page.quote is not None:  # an empty cart has no quote
        product_pictures_attach(ql.product for group in page.quote.groups for ql in group.lines)
    template = "cart/_cart.html" if fragment else "cart/cart.html"
    return render(request, template, {"page": page, "fragment": fragment}, status=status)


def cart_view(request):
    return _render_cart(request)


@require_POST
def cart_add_view(request):
    storefront = _storefront_or_404(request)
    try:
        offer_id = _int(request.POST.get("offer_id"), field="offer_id")
        details = _trip_details(request.POST)
        if details is None:
            details = _details(request)
        quantity = (
            None
            if details is not None and "adults" in details
            else _int(request.POST.get("quantity", "1") or "1", field="quantity")
        )
        cart = cart_for_request(request, create=True)
        line = services.cart_add(cart=cart, offer_id=offer_id, quantity=quantity, details=details)
    except Http404:
        error, line = _("Cette offre n'est pas disponible sur cette boutique."), None
    except CartError as exc:
        error, line = exc.message, None
    else:
        error = None
    if request.htmx:
        response = render(
            request,
            "cart/_added.html",
            {
                "error": error,
                "line": line,
                "count": cart_item_count(cart_for_request(request)),
                "storefront": storefront,
            },
            # 200 either way: htmx only swaps 2xx answers, and the refusal must be seen.
            status=200,
        )
        if error is None:
            response["HX-Trigger"] = "cart-changed"
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("« %(title)s » a été ajouté à votre panier.") % {"title": line.offer.product.title},
        )
    return redirect("cart:detail")


def _line_action(request, line_id: int, action):
    _storefront_or_404(request)
    cart = cart_for_request(request)
    if cart is None:
        raise Http404(_("Cette ligne n'est pas dans votre panier."))
    try:
        action(cart)
    except CartLineNotFound as exc:
        raise Http404(exc.message) from None
    except CartError as exc:
        messages.error(request, exc.message)
    if request.htmx:
        # htmx only swaps 2xx answers: a refusal is shown inside the re-rendered fragment.
        return _render_cart(request, fragment=True)
    return redirect("cart:detail")


@require_POST
def cart_line_update_view(request, line_id: int):
    def update(cart):
        quantity = _int(request.POST.get("quantity"), field="quantity")
        services.cart_update(cart=cart, line_id=line_id, quantity=quantity)

    return _line_action(request, line_id, update)


@require_POST
def cart_line_remove_view(request, line_id: int):
    def remove(cart):
        services.cart_remove(cart=cart, line_id=line_id)

    return _line_action(request, line_id, remove)


@require_POST
def cart_line_details_view(request, line_id: int):
    def change(cart):
        services.cart_line_details_set(cart=cart, line_id=line_id, details=_details(request) or {})

    return _line_action(request, line_id, change)


def _customer_email(request) -> str:
    user = getattr(request, "user", None)
    return user.email if user is not None and user.is_authenticated else ""


def _cart_action(request, action, *, success: str):
    """Run `action(cart)` on the visitor's cart; a refusal is shown, and nothing changed."""
    _storefront_or_404(request)
    cart = cart_for_request(request)
    if cart is None:
        messages.error(request, _("Votre panier est vide."))
    else:
        try:
            action(cart)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success)
    if request.htmx:
        return _render_cart(request, fragment=True)
    return redirect("cart:detail")


@require_POST
def cart_voucher_view(request):
    code = (request.POST.get("code") or "").strip()

    def enter(cart):
        services.cart_voucher_set(cart=cart, code=code, email=_customer_email(request))

    return _cart_action(request, enter, success=_("Bon d'achat appliqué."))


@require_POST
def cart_voucher_remove_view(request):
    return _cart_action(
        request,
        lambda cart: services.cart_voucher_remove(cart=cart),
        success=_("Bon d'achat retiré."),
    )

"""Cart API: read the cart, add an offer, change or remove a line — the pages' services.

The storefront is the request's host (as for the pages). The cart is designated by the
`X-Cart-Token` header (returned by the first add) or, without it, by the browser session: then
the usual CSRF check applies to every change, since a cookie alone must not be enough.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from django.conf import settings
from django.http import Http404, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from galerie.api.errors import ErrorOut
from galerie.api.headers import CART_TOKEN, CSRF_TOKEN, headers_read
from galerie.api.orders import VatRowOut
from galerie.api.schemas import In
from galerie.cart import services
from galerie.cart.selectors import cart_for_request, cart_for_token, cart_page
from galerie.core.errors import DomainError, NotFound
from galerie.orders.limits import LINE_QUANTITY_MAX
from galerie.promotions.models import VOUCHER_CODE_MAX
from galerie.travel.limits import NAME_MAX, TRAVELLERS_MAX

router = Router(tags=["panier"])
# A change reads the cart token, else the session cookie with its CSRF token.
CHANGE_HEADERS = headers_read(CART_TOKEN, CSRF_TOKEN)


class TravellerIn(In):
    first_name: str = Field(..., min_length=1, max_length=NAME_MAX)
    last_name: str = Field(..., min_length=1, max_length=NAME_MAX)
    birth_date: date
    kind: Literal["adult", "child"] | None = Field(
        None,
        description="Facultatif : déduit de la date de naissance (enfant : moins de 12 ans "
        "le jour du départ).",
    )

    def as_details(self) -> dict:
        data = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "birth_date": self.birth_date.isoformat(),
        }
        return data | ({"kind": self.kind} if self.kind else {})


class TripDetailsIn(In):
    adults: int = Field(..., ge=1, le=TRAVELLERS_MAX)
    children: int = Field(0, ge=0, le=TRAVELLERS_MAX)
    options: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=20)
    travellers: list[TravellerIn] | None = Field(None, max_length=TRAVELLERS_MAX)

    def as_details(self) -> dict:
        details = {"adults": self.adults, "children": self.children, "options": self.options}
        if self.travellers is not None:
            details["travellers"] = [t.as_details() for t in self.travellers]
        return details


class SubscriptionDetailsIn(In):
    """A subscription line's details: the tacit renewal choice, and nothing else."""

    model_config = ConfigDict(extra="forbid")

    auto_renew: bool = Field(
        ..., description="Reconduction tacite choisie (abonnement presse, quantité 1)."
    )

    def as_details(self) -> dict:
        return {"auto_renew": self.auto_renew}


class LineIn(In):
    offer_id: int
    quantity: int | None = Field(
        None,
        ge=1,
        le=LINE_QUANTITY_MAX,
        description="1 par défaut ; pour un voyage, le nombre de voyageurs (adultes + enfants).",
    )
    details: TripDetailsIn | SubscriptionDetailsIn | None = Field(
        None,
        description="Un départ de voyage : voyageurs et options (obligatoire pour un voyage "
        "avec enfants ou options ; sans, chaque place est celle d'un adulte). Un abonnement : "
        '{"auto_renew": bool}. Absent pour un article.',
    )


class TravellersIn(In):
    travellers: list[TravellerIn] = Field(..., min_length=1, max_length=TRAVELLERS_MAX)


class QuantityIn(In):
    quantity: int = Field(..., ge=0, le=LINE_QUANTITY_MAX)


class DeliveryOptionOut(Schema):
    method_id: int
    label: str
    fee: Decimal
    date_min: date
    date_max: date
    book_floor_applied: bool


class CartLineOut(Schema):
    id: int | None
    offer_id: int
    title: str
    quantity: int
    unit_price: Decimal
    unit_price_at_add: Decimal | None
    vat_rate: Decimal
    vat_exemption: str | None = None
    vat_exemption_label: str | None = None
    line_total: Decimal
    available: int
    trip: "TripOut | None" = None
    # A subscription line's renewal choice (null for goods).
    auto_renew: bool | None = None


class TravellerOut(Schema):
    kind: str
    first_name: str
    last_name: str
    birth_date: date


class TripOut(Schema):
    starts_on: date
    duration_days: int
    adults: int
    children: int
    options: list[str]
    travellers: list[TravellerOut] | None = Field(
        description="Vide tant que les voyageurs ne sont pas nommés (obligatoire pour commander)."
    )


CartLineOut.model_rebuild()


class GroupOut(Schema):
    seller_id: int
    seller: str
    seller_is_trader: bool
    seller_kind: Literal["trader", "private"] = Field(
        description="trader : vendeur professionnel ; private : particulier (voir seller_notice)."
    )
    seller_notice: str = Field(
        description=(
            "Ce qu'un achat à ce vendeur ne donne pas (particulier : ni garantie légale de "
            "conformité ni droit de rétractation) ; vide pour un professionnel."
        )
    )
    lines: list[CartLineOut]
    delivery_options: list[DeliveryOptionOut]
    chosen_delivery: DeliveryOptionOut | None
    subtotal: Decimal
    delivery_fee: Decimal
    total: Decimal


class ProblemOut(Schema):
    code: str
    message: str
    offer_id: int | None = None


class VoucherIn(In):
    code: str = Field(min_length=1, max_length=VOUCHER_CODE_MAX)


class CartOut(Schema):
    token: str | None
    storefront: str
    groups: list[GroupOut]
    unavailable_line_ids: list[int]
    voucher_code: str | None
    discount: Decimal
    items_total: Decimal
    delivery_total: Decimal
    total: Decimal
    vat_total: Decimal
    vat_breakdown: list[VatRowOut]
    problems: list[ProblemOut]
    can_order: bool


class CsrfFailed(DomainError):
    code = "csrf_failed"
    status = 403


def storefront_of(request):
    if getattr(request, "storefront", None) is None:
        raise NotFound("Aucune boutique ne répond à ce nom d'hôte.")
    return request.storefront


def csrf_check(request) -> None:
    """Enforce Django's CSRF check for a change authenticated by the session cookie alone."""
    if CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}) is not None:
        raise CsrfFailed("Vérification CSRF échouée : envoyez le jeton CSRF ou X-Cart-Token.")


def cart_of(request, *, create: bool = False, change: bool = False):
    """The cart the request designates: by token header, else by session (CSRF-checked)."""
    storefront = storefront_of(request)
    token = request.headers.get(CART_TOKEN, "").strip()
    if token:
        cart = cart_for_token(storefront=storefront, token=token)
        if cart is None:
            # Another storefront's or a made-up token: indistinguishable from none at all.
            raise NotFound("Panier introuvable.", code="cart_not_found")
        return cart
    # CSRF protects ambient credentials: without a session cookie there is nothing to forge,
    # so an API client's very first call may create its cart (and receive its X-Cart-Token).
    if change and settings.SESSION_COOKIE_NAME in request.COOKIES:
        csrf_check(request)
    return cart_for_request(request, create=create)


def _option(option) -> dict | None:
    if option is None:
        return None
    return {
        "method_id": option.method_id,
        "label": option.label,
        "fee": option.fee,
        "date_min": option.date_min,
        "date_max": option.date_max,
        "book_floor_applied": option.book_floor_applied,
    }


def _trip(ql) -> dict | None:
    if not ql.is_trip:
        return None
    departure = ql.offer.departure
    return {
        "starts_on": departure.starts_on,
        "duration_days": departure.duration_days,
        "adults": ql.booking.adults,
        "children": ql.booking.children,
        "options": [o.code for o in ql.booking.options],
        "travellers": ql.details.get("travellers"),
    }


def _auto_renew(quote_line) -> bool | None:
    details = getattr(getattr(quote_line, "cart_line", None), "details", None) or {}
    value = details.get("auto_renew") if isinstance(details, dict) else None
    return value if isinstance(value, bool) else None


def cart_out(request, cart, *, delivery_choices=None) -> dict:
    storefront = storefront_of(request)
    page = cart_page(cart=cart, storefront=storefront, delivery_choices=delivery_choices)
    quote = page.quote
    groups = []
    for group in quote.groups if quote else []:
        groups.append(
            {
                "seller_id": group.seller.pk,
                "seller": group.seller_name,
                "seller_is_trader": group.seller.is_trader,
                "seller_kind": group.seller.kind,
                "seller_notice": group.seller.consumer_law_notice,
                "lines": [
                    {
                        "id": getattr(getattr(ql, "cart_line", None), "pk", None),
                        "offer_id": ql.offer_id,
                        "title": ql.title,
                        "quantity": ql.quantity,
                        "unit_price": ql.unit_price,
                        "unit_price_at_add": getattr(
                            getattr(ql, "cart_line", None), "unit_price_at_add", None
                        ),
                        "vat_rate": ql.vat_rate,
                        "vat_exemption": ql.vat_exemption or None,
                        "vat_exemption_label": ql.vat_exemption_label or None,
                        "line_total": ql.line_total,
                        "available": ql.available,
                        "trip": _trip(ql),
                        "auto_renew": _auto_renew(ql),
                    }
                    for ql in group.lines
                ],
                "delivery_options": [_option(o) for o in group.delivery_options],
                "chosen_delivery": _option(group.chosen),
                "subtotal": group.subtotal,
                "delivery_fee": group.delivery_fee,
                "total": group.total,
            }
        )
    zero = Decimal("0.00")
    return {
        "token": cart.token if cart is not None and cart.user_id is None else None,
        "storefront": storefront.slug,
        "groups": groups,
        "unavailable_line_ids": [line.pk for line in page.unavailable_lines],
        "voucher_code": (cart.voucher_code or None) if cart is not None else None,
        "discount": quote.discount if quote else zero,
        "items_total": quote.items_total if quote else zero,
        "delivery_total": quote.delivery_total if quote else zero,
        "total": quote.total if quote else zero,
        "vat_total": quote.vat_total if quote else zero,
        "vat_breakdown": [
            {
                "rate": r.rate,
                "ht": r.ht,
                "vat": r.vat,
                "ttc": r.ttc,
                "exemption": r.exemption or None,
                "exemption_label": r.exemption_label or None,
            }
            for r in (quote.vat_breakdown if quote else [])
        ],
        "problems": [
            {"code": p.code, "message": p.message, "offer_id": p.offer_id}
            for p in (quote.problems if quote else [])
        ],
        "can_order": bool(quote and quote.can_order),
    }


@router.get(
    "",
    response={200: CartOut, 404: ErrorOut},
    summary="Le panier",
    openapi_extra=headers_read(CART_TOKEN),
)
def cart_get(request):
    return cart_out(request, cart_of(request))


@router.post(
    "/lines",
    response={201: CartOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Ajouter une offre",
    openapi_extra={
        **CHANGE_HEADERS,
        "responses": {
            201: {
                "headers": {
                    CART_TOKEN: {
                        "description": "Le jeton du panier d'un invité, à renvoyer en "
                        "X-Cart-Token (absent pour le panier d'un client connecté).",
                        "schema": {"type": "string"},
                    }
                }
            }
        },
    },
)
def cart_line_add(request, payload: LineIn, response: HttpResponse):
    cart = cart_of(request, create=True, change=True)
    services.cart_add(
        cart=cart,
        offer_id=payload.offer_id,
        quantity=payload.quantity,
        details=payload.details.as_details() if payload.details else None,
    )
    if cart.user_id is None:
        response[CART_TOKEN] = cart.token
    return 201, cart_out(request, cart)


def _line_change(request, line_id: int, action):
    cart = cart_of(request, change=True)
    if cart is None:
        raise Http404("Cette ligne n'est pas dans votre panier.")
    action(cart)
    return cart_out(request, cart)


@router.patch(
    "/lines/{line_id}",
    response={200: CartOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Changer la quantité (0 retire la ligne)",
    openapi_extra=CHANGE_HEADERS,
)
def cart_line_update(request, line_id: int, payload: QuantityIn):
    return _line_change(
        request,
        line_id,
        lambda cart: services.cart_update(cart=cart, line_id=line_id, quantity=payload.quantity),
    )


@router.delete(
    "/lines/{line_id}",
    response={200: CartOut, 403: ErrorOut, 404: ErrorOut},
    summary="Retirer une ligne",
    openapi_extra=CHANGE_HEADERS,
)
def cart_line_remove(request, line_id: int):
    return _line_change(
        request, line_id, lambda cart: services.cart_remove(cart=cart, line_id=line_id)
    )


@router.put(
    "/lines/{line_id}/travellers",
    response={200: CartOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Nommer les voyageurs d'un voyage (nom, prénom, date de naissance de chacun)",
    openapi_extra=CHANGE_HEADERS,
)
def cart_line_travellers(request, line_id: int, payload: TravellersIn):
    return _line_change(
        request,
        line_id,
        lambda cart: services.cart_line_travellers_set(
            cart=cart, line_id=line_id, travellers=[t.as_details() for t in payload.travellers]
        ),
    )


@router.put(
    "/lines/{line_id}/details",
    response={200: CartOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Changer le choix de reconduction tacite d'un abonnement",
    openapi_extra=CHANGE_HEADERS,
)
def cart_line_details(request, line_id: int, payload: SubscriptionDetailsIn):
    return _line_change(
        request,
        line_id,
        lambda cart: services.cart_line_details_set(
            cart=cart, line_id=line_id, details=payload.as_details()
        ),
    )


@router.put(
    "/voucher",
    response={200: CartOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Appliquer un bon d'achat (code sans distinction de majuscules)",
    description="Refus : voucher_unknown (400), voucher_expired, voucher_exhausted, "
    "voucher_customer_limit, voucher_not_applicable (409) ; le panier reste inchangé.",
    openapi_extra=CHANGE_HEADERS,
)
def cart_voucher_set(request, payload: VoucherIn):
    cart = cart_of(request, change=True)
    if cart is None:
        raise NotFound("Panier introuvable.", code="cart_not_found")
    user = getattr(request, "user", None)
    email = user.email if user is not None and user.is_authenticated else ""
    services.cart_voucher_set(cart=cart, code=payload.code, email=email)
    return cart_out(request, cart)


@router.delete(
    "/voucher",
    response={200: CartOut, 403: ErrorOut, 404: ErrorOut},
    summary="Retirer le bon d'achat",
    openapi_extra=CHANGE_HEADERS,
)
def cart_voucher_remove(request):
    cart = cart_of(request, change=True)
    if cart is None:
        raise NotFound("Panier introuvable.", code="cart_not_found")
    services.cart_voucher_remove(cart=cart)
    return cart_out(request, cart)

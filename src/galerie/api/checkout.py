"""Checkout API: quote the cart with delivery choices, place the order and start its payment.

Placing needs an `Idempotency-Key` header: a retried request with the same key and body returns
the same order; the same key with another body answers 409 idempotency_conflict.
"""

from decimal import Decimal
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from galerie.api.cart import CartOut, cart_of, cart_out
from galerie.api.errors import ErrorOut
from galerie.api.headers import (
    CART_TOKEN,
    CSRF_TOKEN,
    IDEMPOTENCY_KEY,
    headers_read,
    idempotency_key,
)
from galerie.api.schemas import In
from galerie.checkout.errors import CheckoutError
from galerie.checkout.services import checkout_place
from galerie.orders.services import order_remember_in_session

router = Router(tags=["commande"])


class AddressIn(In):
    """Shape only: order_place checks the address with accounts.addresses (the limits,
    countries, postcode rules and messages of the web form) and answers 400 invalid_address."""

    name: str = ""
    line1: str = ""
    line2: str = ""
    postcode: str = ""
    city: str = ""
    country: str = Field("FR", description="Code ISO 3166-1 alpha-2 d'un pays desservi.")
    phone: str = ""


class QuoteIn(In):
    delivery_choices: dict[int, int] = Field(
        default_factory=dict, description="id du vendeur → id du mode de livraison (0 = standard)"
    )


class PlaceIn(QuoteIn):
    email: str = Field("", max_length=254, description="Obligatoire sans compte connecté.")
    shipping_address: AddressIn
    billing_address: AddressIn | None = None
    payment_method: str = Field("card", description="card ou transfer")
    buyer_company: str = Field(
        "", max_length=200, description="Société à facturer (acheteur professionnel)."
    )
    buyer_siren: str = Field("", max_length=30, description="SIREN ou SIRET de la société.")
    buyer_vat_number: str = Field(
        "", max_length=30, description="N° de TVA intracommunautaire de la société."
    )
    return_url: str | None = Field(None, description="Page de retour après paiement par carte.")


class PaymentOut(Schema):
    method: str
    amount: Decimal
    redirect_url: str
    bank_reference: str
    instructions: str


class PlacedOut(Schema):
    public_id: UUID
    number: str
    status: str
    total: Decimal
    url: str
    replayed: bool
    payment: PaymentOut | None


@router.post(
    "/quote",
    response={200: CartOut, 403: ErrorOut, 404: ErrorOut},
    summary="Devis du panier",
    openapi_extra=headers_read(CART_TOKEN),
)
def checkout_quote(request, payload: QuoteIn):
    cart = cart_of(request)
    return cart_out(request, cart, delivery_choices=payload.delivery_choices or None)


@router.post(
    "/orders",
    response={
        201: PlacedOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="Passer la commande (en-tête Idempotency-Key)",
    openapi_extra=headers_read(IDEMPOTENCY_KEY, CART_TOKEN, CSRF_TOKEN),
)
def checkout_order_place(request, payload: PlaceIn):
    key = idempotency_key(request)
    if not key:
        raise CheckoutError(
            _("L'en-tête Idempotency-Key est obligatoire pour passer commande."),
            code="idempotency_key_required",
        )
    cart = cart_of(request, change=True)
    user = request.user if request.user.is_authenticated else None
    email = (user.email or user.username) if user else payload.email
    shipping = payload.shipping_address.dict()
    billing = payload.billing_address.dict() if payload.billing_address else shipping
    result = checkout_place(
        storefront=request.storefront,
        cart=cart,
        email=email,
        user=user,
        delivery_choices=payload.delivery_choices,
        shipping_address=shipping,
        billing_address=billing,
        idempotency_key=key,
        payment_method=payload.payment_method,
        return_url=_safe_return_url(request, payload.return_url),
        buyer={
            "buyer_company": payload.buyer_company,
            "buyer_siren": payload.buyer_siren,
            "buyer_vat_number": payload.buyer_vat_number,
        },
    )
    order, payment = result.order, result.payment
    order_remember_in_session(request, order)
    return 201, {
        "public_id": order.public_id,
        "number": order.number,
        "status": order.status,
        "total": order.total,
        "url": order.get_absolute_url(),
        "replayed": result.replayed,
        "payment": None
        if payment is None
        else {
            "method": payment.method,
            "amount": payment.amount,
            "redirect_url": payment.redirect_url,
            "bank_reference": payment.bank_reference,
            "instructions": payment.instructions,
        },
    }


def _safe_return_url(request, url: str | None) -> str | None:
    from django.utils.http import url_has_allowed_host_and_scheme

    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return None

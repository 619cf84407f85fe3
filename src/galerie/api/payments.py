"""Payments API: pay one of the visitor's orders by card (hosted page URL) or bank transfer."""

from decimal import Decimal
from typing import Annotated
from uuid import UUID

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Path as PathParam

from galerie.api.cart import csrf_check
from galerie.api.errors import ErrorOut
from galerie.api.headers import CSRF_TOKEN, IDEMPOTENCY_KEY, headers_read, idempotency_key
from galerie.api.schemas import In
from galerie.core.bounds import ID_MAX
from galerie.core.errors import DomainError
from galerie.orders.limits import LINE_QUANTITY_MAX
from galerie.orders.selectors import order_for_request
from galerie.payments.cancellations import travel_booking_cancel
from galerie.payments.services import payment_start
from galerie.travel.models import Booking

router = Router(tags=["paiements"])


class OperatorOnly(DomainError):
    code = "forbidden"
    status = 403


class PayIn(In):
    method: str = Field("card", description="card ou transfer")
    return_url: str | None = Field(None, description="Retour après la page de paiement")


class PayOut(Schema):
    order: UUID
    method: str
    status: str
    amount: Decimal
    redirect_url: str
    bank_reference: str
    iban: str
    bic: str
    instructions: str


@router.post(
    "/orders/{public_id}/pay",
    response={200: PayOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    openapi_extra=headers_read(CSRF_TOKEN),
)
def order_pay(request, public_id: UUID, payload: PayIn):
    """Start (or resume: calling twice returns the same open payment) paying an order."""
    # The order is found through the session cookie (its owner or the guest's session), an
    # ambient credential: a forged cross-site POST must not start a payment with it.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        csrf_check(request)
    order = order_for_request(request, public_id)
    if order is None:
        raise Http404("Commande introuvable.")
    return_url = payload.return_url or order.get_absolute_url()
    if not return_url.startswith("/") or return_url.startswith("//"):
        return_url = order.get_absolute_url()
    start = payment_start(order=order, method=payload.method, return_url=return_url)
    return {
        "order": order.public_id,
        "method": start.method,
        "status": start.payment.status,
        "amount": start.amount,
        "redirect_url": start.redirect_url,
        "bank_reference": start.bank_reference,
        "iban": start.iban,
        "bic": start.bic,
        "instructions": start.instructions,
    }


# Ids a big auto field holds, and a line's quantity: beyond them a 422, never an overflow.
LineId = Annotated[int, Field(ge=1, le=ID_MAX)]
RefundQuantity = Annotated[int, Field(ge=1, le=LINE_QUANTITY_MAX)]


class RefundIn(In):
    lines: dict[LineId, RefundQuantity] | None = Field(
        None, description="id de ligne → quantité ; absent : remboursement intégral"
    )
    delivery_for: list[LineId] = Field(
        default_factory=list, description="sous-commandes dont les frais de port sont remboursés"
    )
    reason: str = Field("", max_length=200)


class RefundOut(Schema):
    id: int
    order: UUID
    amount: Decimal
    status: str
    refunded_total: Decimal


@router.post(
    "/orders/{public_id}/refunds",
    response={200: RefundOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Rembourser (opérateur ; en-tête Idempotency-Key)",
    openapi_extra=headers_read(IDEMPOTENCY_KEY),
)
def order_refund_create(request, public_id: UUID, payload: RefundIn):
    """Operator only. The same Idempotency-Key and body return the same refund; the same key with
    another body answers 409 idempotency_conflict."""
    from galerie.orders.models import Order
    from galerie.payments.refunds import order_refund

    # The same right as the admin's "refund in full" action (core/roles.py grants it).
    if not (request.user.is_staff and request.user.has_perm("orders.refund")):
        raise OperatorOnly("Réservé à l'opérateur.")
    key = idempotency_key(request)
    if not key:
        raise DomainError(
            _("L'en-tête Idempotency-Key est obligatoire."), code="idempotency_key_required"
        )
    order = Order.objects.filter(public_id=public_id).first()
    if order is None:
        raise Http404("Commande introuvable.")
    refund = order_refund(
        order=order,
        idempotency_key=key,
        lines=payload.lines,
        delivery_for=payload.delivery_for,
        actor=request.user,
        reason=payload.reason,
    )
    order.refresh_from_db()
    return {
        "id": refund.pk,
        "order": order.public_id,
        "amount": refund.amount,
        "status": refund.status,
        "refunded_total": order.refunded_total,
    }


class TripCancelOut(Schema):
    booking: int
    order: UUID
    status: str
    percent: int = Field(description="Frais d'annulation retenus, en % du prix du voyage.")
    fee: Decimal
    refunded: Decimal
    replayed: bool = Field(description="Cette clé avait déjà annulé ce voyage : rien de refait.")


@router.post(
    "/orders/{public_id}/bookings/{booking_id}/cancel",
    response={200: TripCancelOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Annuler un voyage payé selon son barème (en-tête Idempotency-Key)",
    openapi_extra=headers_read(IDEMPOTENCY_KEY, CSRF_TOKEN),
)
def order_trip_cancel(
    request, public_id: UUID, booking_id: Annotated[int, PathParam(ge=1, le=ID_MAX)]
):
    """Cancel one trip of the visitor's paid order: the package's fee is kept, the rest refunded.
    The same Idempotency-Key replays the first answer (replayed: true). 409 codes:
    booking_already_cancelled, booking_not_paid, departure_passed, idempotency_conflict."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        csrf_check(request)
    key = idempotency_key(request)
    if not key:
        raise DomainError(
            _("L'en-tête Idempotency-Key est obligatoire."), code="idempotency_key_required"
        )
    order = order_for_request(request, public_id)
    booking = (
        Booking.objects.filter(pk=booking_id, order_line__order=order).first() if order else None
    )
    if booking is None:
        raise Http404("Voyage introuvable.")
    result = travel_booking_cancel(
        booking=booking,
        actor=request.user if request.user.is_authenticated else None,
        idempotency_key=key,
    )
    return {
        "booking": result.booking.pk,
        "order": order.public_id,
        "status": result.booking.status,
        "percent": result.percent,
        "fee": result.fee,
        "refunded": result.refunded,
        "replayed": result.replayed,
    }

"""Payments API: pay one of the visitor's orders by card (hosted page URL) or bank transfer."""

from decimal import Decimal
from uuid import UUID

from django.http import Http404
from ninja import Field, Router, Schema

from galerie.orders.selectors import order_for_request
from galerie.payments.services import payment_start

router = Router(tags=["paiements"])


class Error(Schema):
    code: str
    message: str


class PayIn(Schema):
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


@router.post("/orders/{public_id}/pay", response={200: PayOut, 404: Error, 409: Error, 400: Error})
def order_pay(request, public_id: UUID, payload: PayIn):
    """Start (or resume: calling twice returns the same open payment) paying an order."""
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

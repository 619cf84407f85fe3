"""Seller API for returns: a seller's withdrawals and conformity claims (list, one), receipt
confirmation (a withdrawal is refunded at once) and the decision on an open return.

Same bearer token and seller scoping as api.seller: another seller's return answers 404 exactly
like a missing one. Errors: {"code", "message"}.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema

from galerie.api.schemas import In
from galerie.api.seller import ERRORS, Limit, Offset, SellerBearer
from galerie.core.errors import NotFound
from galerie.returns.models import ReturnRequest
from galerie.returns.selectors import return_of_seller, returns_of_seller
from galerie.returns.services import NOTE_MAX, return_receive, return_resolve

seller_router = Router(tags=["vendeur"], auth=SellerBearer())


class ReturnOut(Schema):
    id: int
    kind: str
    status: str
    order_number: str
    seller_order_id: int
    line_id: int
    title: str
    condition: str
    quantity: int
    reason: str
    seal_intact: bool | None
    requested_at: dt.datetime
    refund_due_at: dt.datetime | None
    presumption_until: dt.date | None
    presumption_applies: bool
    received_at: dt.datetime | None
    closed_at: dt.datetime | None
    refunded: Decimal | None
    outcome_note: str
    mediated: bool


class ReturnPage(Schema):
    total: int
    offset: int
    limit: int
    items: list[ReturnOut]


class ResolveIn(In):
    outcome: Literal["refund", "repair", "replace", "refuse"]
    note: str = Field("", max_length=NOTE_MAX)


def _out(request: ReturnRequest) -> dict:
    return {
        "id": request.pk,
        "kind": request.kind,
        "status": request.status,
        "order_number": request.order.number,
        "seller_order_id": request.seller_order_id,
        "line_id": request.line_id,
        "title": request.line.title,
        "condition": request.line.condition,
        "quantity": request.quantity,
        "reason": request.reason,
        "seal_intact": request.seal_intact,
        "requested_at": request.requested_at,
        "refund_due_at": request.refund_due_at,
        "presumption_until": request.presumption_until,
        "presumption_applies": request.presumption_applies,
        "received_at": request.received_at,
        "closed_at": request.closed_at,
        "refunded": request.refund.amount if request.refund_id else None,
        "outcome_note": request.outcome_note,
        "mediated": request.mediated,
    }


def _return(request, return_id: int) -> ReturnRequest:
    try:
        return return_of_seller(seller=request.auth.seller, return_id=return_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


# Inline enums, not the models' choices: a query parameter whose schema is a `$ref` is one that
# API clients and the fuzzer cannot bind (test_openapi_contract checks every parameter).
StatusFilter = Literal["requested", "received", "refunded", "refused", "repaired", "replaced"]
KindFilter = Literal["withdrawal", "conformity"]


@seller_router.get("", response={200: ReturnPage, **ERRORS})
def return_list(
    request,
    status: StatusFilter | None = None,
    kind: KindFilter | None = None,
    offset: int = Offset,
    limit: int = Limit,
):
    """The seller's returns, newest first; `status` and `kind` filter them."""
    returns = returns_of_seller(
        seller=request.auth.seller, status=status or "", kind=kind or ""
    ).select_related("refund")
    return {
        "total": returns.count(),
        "offset": offset,
        "limit": limit,
        "items": [_out(r) for r in returns[offset : offset + limit]],
    }


@seller_router.get("/{return_id}", response={200: ReturnOut, **ERRORS})
def return_get(request, return_id: int):
    return _out(_return(request, return_id))


@seller_router.post("/{return_id}/receive", response={200: ReturnOut, **ERRORS})
def return_receive_confirm(request, return_id: int):
    """Confirm the goods came back: a withdrawal is refunded at once (delivery fee included when
    the whole part came back); a conformity claim then awaits the decision. Codes:
    return_invalid_transition (409) when it was already received or closed."""
    return_request = return_receive(request=_return(request, return_id), actor=request.auth.user)
    return _out(_return(request, return_request.pk))


@seller_router.post("/{return_id}/resolve", response={200: ReturnOut, **ERRORS})
def return_decide(request, return_id: int, payload: ResolveIn):
    """Record the outcome of an open return: `refund` (posted to the ledger), `repair` or
    `replace` (a conformity claim only), `refuse` (with a `note`). Codes: reason_required,
    return_outcome_invalid, return_invalid_transition (409)."""
    return_resolve(
        request=_return(request, return_id),
        outcome=payload.outcome,
        note=payload.note,
        actor=request.auth.user,
    )
    return _out(_return(request, return_id))

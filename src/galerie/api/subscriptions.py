"""Subscriptions API: a customer's own press subscriptions (list, detail, renewal choice,
termination, withdrawal), and a seller's issues to ship (list, bulk "shipped").

The customer is the logged-in user of the session (anonymous: 401); a change checks CSRF as the
cart does, since the cookie alone must not be enough. Another customer's subscription, or another
seller's fulfilment, answers exactly like a missing one. Errors: {"code", "message"}.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict, StrictInt

from galerie.api.cart import csrf_check
from galerie.api.errors import ErrorOut
from galerie.api.headers import CSRF_TOKEN, IDEMPOTENCY_KEY, headers_read, idempotency_key
from galerie.api.schemas import In
from galerie.api.seller import ERRORS, Limit, Offset, SellerBearer
from galerie.core.errors import DomainError
from galerie.payments import refunds
from galerie.subscriptions import services
from galerie.subscriptions.errors import SubscriptionNotFound
from galerie.subscriptions.selectors import (
    fulfilments_of_seller,
    ship_until_default,
    subscription_issues,
    subscription_of_user,
    subscription_terms,
    subscriptions_of_user,
)

router = Router(tags=["abonnements"])
seller_router = Router(tags=["vendeur"], auth=SellerBearer())

# The most ids one bulk "shipped" call takes (a day's issues of a large title fit many times).
SHIP_IDS_MAX = 1000
ID_MAX = 2**63 - 1  # a database integer: a larger id is a 422, not an overflow


class Unauthenticated(DomainError):
    code = "unauthenticated"
    status = 401


# --- the customer's subscriptions --------------------------------------------------------------


class SubscriptionOut(Schema):
    public_id: UUID
    publication: str
    storefront: str
    medium: str
    term_months: int
    issues_per_year: int
    status: str
    status_label: str
    starts_on: dt.date
    paid_until: dt.date = Field(description="Dernier jour couvert par une période payée.")
    auto_renew: bool
    next_issue_on: dt.date | None
    issues_shipped: int
    issues_planned: int
    terminated_at: dt.datetime | None


class TermOut(Schema):
    number: int
    starts_on: dt.date
    ends_on: dt.date
    status: str


class IssueOut(Schema):
    issue_date: dt.date
    status: str
    shipped_at: dt.datetime | None


class SubscriptionDetailOut(SubscriptionOut):
    terms: list[TermOut]
    issues: list[IssueOut]


class AutoRenewIn(In):
    model_config = ConfigDict(extra="forbid")

    auto_renew: bool


CUSTOMER_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _user(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise Unauthenticated(_("Connectez-vous pour voir vos abonnements."))
    return user


def _change(request):
    """A change made with the session cookie: CSRF first (as the cart), then the login."""
    csrf_check(request)
    return _user(request)


def _own(request, public_id: UUID):
    subscription = subscription_of_user(_user(request), public_id)
    if subscription is None:
        raise SubscriptionNotFound(_("Abonnement introuvable."))
    return subscription


def _out(s) -> dict:
    plan = s.plan
    return {
        "public_id": s.public_id,
        "publication": plan.publication,
        "storefront": s.storefront.slug,
        "medium": plan.medium,
        "term_months": plan.term_months,
        "issues_per_year": plan.issues_per_year,
        "status": s.status,
        "status_label": str(s.get_status_display()),
        "starts_on": s.starts_on,
        "paid_until": s.ends_on,
        "auto_renew": s.auto_renew,
        "next_issue_on": s.next_issue_on,
        "issues_shipped": s.issues_shipped,
        "issues_planned": s.issues_planned,
        "terminated_at": s.terminated_at,
    }


def _detail(request, public_id: UUID) -> dict:
    s = _own(request, public_id)
    return {
        **_out(s),
        "terms": [
            {"number": t.number, "starts_on": t.starts_on, "ends_on": t.ends_on, "status": t.status}
            for t in subscription_terms(s)
        ],
        "issues": [
            {"issue_date": f.issue_date, "status": f.status, "shipped_at": f.shipped_at}
            for f in subscription_issues(s)
        ],
    }


@router.get("", response={200: list[SubscriptionOut], **CUSTOMER_ERRORS})
def subscription_list(request):
    """The logged-in customer's subscriptions, newest first."""
    return [_out(s) for s in subscriptions_of_user(_user(request))[:200]]


@router.get("/{public_id}", response={200: SubscriptionDetailOut, **CUSTOMER_ERRORS})
def subscription_get(request, public_id: UUID):
    return _detail(request, public_id)


@router.post(
    "/{public_id}/terminate",
    response={200: SubscriptionDetailOut, **CUSTOMER_ERRORS},
    summary="Résilier (effet à la fin de la période payée ; confirmé par e-mail)",
    openapi_extra=headers_read(CSRF_TOKEN),
)
def subscription_terminate(request, public_id: UUID):
    """No renewal any more; the issues paid for are served until the end of the paid term.
    Terminating a subscription already terminated answers the same, and sends no second e-mail.
    After a late renewal notice (loi Chatel), the renewed term ends now and its issues not yet
    shipped are refunded."""
    user = _change(request)
    refunds.subscription_terminate_or_refund(subscription=_own(request, public_id), actor=user)
    return _detail(request, public_id)


class WithdrawalOut(Schema):
    refunded: Decimal = Field(description="Remboursé : le prix moins les numéros déjà envoyés.")
    subscription: SubscriptionDetailOut


@router.post(
    "/{public_id}/withdraw",
    response={200: WithdrawalOut, 400: ErrorOut, **CUSTOMER_ERRORS},
    summary="Se rétracter (14 jours ; remboursement au prorata des numéros envoyés)",
    openapi_extra=headers_read(IDEMPOTENCY_KEY, CSRF_TOKEN),
)
def subscription_withdraw(request, public_id: UUID):
    """Withdrawal (Code de la consommation L221-18): the subscription is cancelled and the first
    term refunded minus the issues already shipped, pro rata (with the delivery fee when the
    subscription was the seller's whole part). Withdrawing again answers the first refund. 409
    codes: withdrawal_period_over, subscription_not_withdrawable, idempotency_conflict."""
    user = _change(request)
    key = idempotency_key(request)
    if not key:
        raise DomainError(
            _("L'en-tête Idempotency-Key est obligatoire."), code="idempotency_key_required"
        )
    refund = refunds.subscription_withdraw(
        subscription=_own(request, public_id), actor=user, idempotency_key=key
    )
    return {
        "refunded": refund.amount if refund else Decimal("0.00"),
        "subscription": _detail(request, public_id),
    }


@router.put(
    "/{public_id}/auto-renew",
    response={200: SubscriptionDetailOut, 400: ErrorOut, **CUSTOMER_ERRORS},
    summary="Activer ou arrêter la reconduction tacite",
    openapi_extra=headers_read(CSRF_TOKEN),
)
def subscription_auto_renew(request, public_id: UUID, payload: AutoRenewIn):
    _change(request)
    services.subscription_auto_renew_set(
        subscription=_own(request, public_id), auto_renew=payload.auto_renew
    )
    return _detail(request, public_id)


# --- the seller's issues to ship ---------------------------------------------------------------


class FulfilmentOut(Schema):
    id: int
    issue_date: dt.date
    status: str
    publication: str
    plan_id: int
    delivery_address: dict
    shipped_at: dt.datetime | None


class FulfilmentPage(Schema):
    total: int
    offset: int
    limit: int
    until: dt.date
    items: list[FulfilmentOut]


class ShipIdsIn(In):
    model_config = ConfigDict(extra="forbid")

    ids: list[Annotated[StrictInt, Field(ge=1, le=ID_MAX)]] = Field(
        ..., min_length=1, max_length=SHIP_IDS_MAX
    )


class ShippedOut(Schema):
    shipped: int = Field(description="Numéros marqués expédiés (les autres ids sont ignorés).")


Until = Query(None, description="Jusqu'à cette date incluse (défaut : dans sept jours).")


@seller_router.get("", response={200: FulfilmentPage, **ERRORS})
def fulfilment_list(
    request,
    until: dt.date | None = Until,
    status: Literal["scheduled", "shipped", "cancelled"] = "scheduled",
    offset: int = Offset,
    limit: int = Limit,
):
    """The seller's issues dated up to `until`, by date; the subscriber's delivery address."""
    until = until or ship_until_default()
    rows = fulfilments_of_seller(seller=request.auth.seller, until=until, status=status)
    return {
        "total": rows.count(),
        "offset": offset,
        "limit": limit,
        "until": until,
        "items": [
            {
                "id": f.pk,
                "issue_date": f.issue_date,
                "status": f.status,
                "publication": f.subscription.plan.publication,
                "plan_id": f.subscription.plan_id,
                "delivery_address": f.subscription.delivery_address,
                "shipped_at": f.shipped_at,
            }
            for f in rows[offset : offset + limit]
        ],
    }


@seller_router.post("/ship", response={200: ShippedOut, **ERRORS})
def fulfilment_ship(request, payload: ShipIdsIn):
    """Mark issues shipped in bulk; ids of another seller, or already shipped, are ignored."""
    shipped = services.fulfilments_ship(seller=request.auth.seller, fulfilment_ids=payload.ids)
    return {"shipped": shipped}

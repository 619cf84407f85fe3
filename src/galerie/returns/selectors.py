"""Reads about returns shared by the customer's pages, the seller portal, the API, the back
office and the overdue warning. A foreign id reads as a missing one (callers answer 404)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from galerie.core.errors import NotFound
from galerie.returns.models import OPEN_STATUSES, ReturnKind, ReturnRequest

# The operator is warned this long before a withdrawal's refund falls due.
REFUND_DUE_WARNING = dt.timedelta(days=3)


def returns_of_order(order) -> QuerySet[ReturnRequest]:
    return ReturnRequest.objects.filter(order=order).select_related("line").order_by("pk")


def returns_of_seller(*, seller, status: str = "", kind: str = "") -> QuerySet[ReturnRequest]:
    """A seller's returns, newest first (the portal's list and the API's)."""
    qs = (
        ReturnRequest.objects.filter(seller_order__seller=seller)
        .select_related("line", "order")
        .order_by("-requested_at", "-pk")
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def return_of_seller(*, seller, return_id: int) -> ReturnRequest:
    request = (
        ReturnRequest.objects.filter(seller_order__seller=seller, pk=return_id)
        .select_related("line", "order", "seller_order", "refund")
        .first()
    )
    if request is None:
        raise NotFound(_("Retour introuvable."), code="return_not_found")
    return request


def returns_refund_due(*, now: dt.datetime) -> QuerySet[ReturnRequest]:
    """Withdrawals not refunded yet whose refund is due within REFUND_DUE_WARNING, or overdue."""
    return (
        ReturnRequest.objects.filter(
            kind=ReturnKind.WITHDRAWAL,
            status__in=OPEN_STATUSES,
            refund_due_at__lt=now + REFUND_DUE_WARNING,
        )
        .select_related("order", "line")
        .order_by("refund_due_at", "pk")
    )

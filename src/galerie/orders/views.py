"""Order pages: history and detail. A visitor sees only their own orders; anything else is 404.

A guest may also open their order with the signed link of its e-mails (`?t=`, see
`order_for_link`): a tampered, foreign or expired link is refused (403) alike whether or not
the order exists."""

import uuid

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galerie.core.errors import DomainError
from galerie.core.money import format_money
from galerie.orders.errors import OrderLinkExpired, OrderLinkInvalid
from galerie.orders.models import OrderLine, OrderStatus
from galerie.orders.selectors import (
    order_for_link,
    order_for_request,
    order_vat_breakdown,
    orders_for_request,
)
from galerie.orders.services import order_remember_in_session
from galerie.payments.cancellations import travel_booking_cancel
from galerie.payments.gateways import payment_methods_available
from galerie.payments.refunds import order_cancel
from galerie.payments.services import payment_start, payment_start_info
from galerie.reviews.selectors import review_purchases
from galerie.travel.models import Booking
from galerie.travel.selectors import booking_cancellation_quote


def order_history(request):
    orders = orders_for_request(request).select_related("storefront").order_by("-created_at")[:100]
    return render(request, "orders/history.html", {"orders": orders})


def _order_or_404(request, public_id):
    order = order_for_request(request, public_id)
    if order is None:
        raise Http404
    return order


def order_detail(request, public_id):
    order = order_for_request(request, public_id)
    token = request.GET.get("t")
    if order is None and token is not None:
        try:
            order = order_for_link(public_id=public_id, token=token)
        except (OrderLinkExpired, OrderLinkInvalid) as exc:
            return render(request, "orders/link_refused.html", {"message": exc.message}, status=403)
        if order is not None:
            # This browser may now pay or cancel it, like the one that placed it.
            order_remember_in_session(request, order)
    if order is None:
        raise Http404
    seller_orders = list(
        order.seller_orders.prefetch_related(
            Prefetch(
                "lines",
                queryset=OrderLine.objects.select_related("booking__departure__offer", "product")
                .prefetch_related("booking__travellers")
                .order_by("pk"),
            )
        ).order_by("pk")
    )
    # Lines its customer may review (a verified purchase): one query, for the logged-in owner.
    reviewable = set(
        review_purchases(customer=request.user, order_id=order.pk).values_list("pk", flat=True)
    )
    for so in seller_orders:
        for line in so.lines.all():
            line.reviewable = line.pk in reviewable
    # A paid trip is cancelled under its fee schedule, trip by trip, never with the whole order.
    trips = _trips_of(seller_orders, paid=order.status == OrderStatus.PAID)
    payments = list(order.payments.order_by("-created_at"))
    transfer = next((p for p in payments if p.method == "transfer" and p.status == "pending"), None)
    transfer_info = None
    if transfer is not None:
        transfer_info = payment_start_info(transfer)
    context = {
        "order": order,
        "seller_orders": seller_orders,
        "vat_rows": order_vat_breakdown(order),
        "payments": payments,
        "transfer": transfer_info,
        "can_pay": order.status == OrderStatus.PENDING_PAYMENT,
        "card_payable": "card" in payment_methods_available(),
        "can_cancel": order.status != OrderStatus.CANCELLED
        and not any(so.status in ("shipped", "delivered") for so in seller_orders)
        and not (order.status == OrderStatus.PAID and trips),
        "has_trips": bool(trips),
        "ships": any(so.ships for so in seller_orders),
        "events": order.events.order_by("created_at"),
        "refunds": order.refunds.order_by("created_at"),
        "payment_outcome": request.GET.get("paiement", ""),
    }
    return render(request, "orders/detail.html", context)


def _trips_of(seller_orders, *, paid: bool) -> list:
    """The trip lines, each given `trip`: its cancellation quote for today (schedule, fee, refund,
    whether it may still be cancelled). Only a paid order's trips may be cancelled here."""
    trips = []
    for so in seller_orders:
        so.ships = False  # a part made of trips alone has no parcel to show
        for line in so.lines.all():
            booking = getattr(line, "booking", None)
            if booking is None:
                so.ships = True
                continue
            line.trip = booking_cancellation_quote(booking=booking)
            line.trip_cancellable = paid and line.trip.cancellable
            trips.append(line)
    return trips


def _booking_or_404(order, booking_id: int) -> Booking:
    booking = (
        Booking.objects.select_related("departure__offer", "order_line")
        .filter(pk=booking_id, order_line__order=order)
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def order_trip_cancel(request, public_id, booking_id: int):
    """Cancel one trip: GET shows the fee and the refund of today, POST confirms it."""
    order = _order_or_404(request, public_id)
    booking = _booking_or_404(order, booking_id)
    if request.method == "POST":
        try:
            result = travel_booking_cancel(
                booking=booking,
                actor=request.user if request.user.is_authenticated else None,
                idempotency_key=request.POST.get("idempotency_key", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Votre voyage est annulé : %(fee)s de frais retenus, %(refund)s remboursés.")
                % {"fee": format_money(result.fee), "refund": format_money(result.refunded)},
            )
        return redirect(order.get_absolute_url())
    quote = booking_cancellation_quote(booking=booking)
    context = {
        "order": order,
        "booking": booking,
        "quote": quote,
        "can_confirm": quote.cancellable and order.status == OrderStatus.PAID,
        "idempotency_key": uuid.uuid4().hex,
    }
    return render(request, "orders/trip_cancel.html", context)


@require_POST
def order_pay(request, public_id):
    order = _order_or_404(request, public_id)
    method = request.POST.get("method", "card")
    try:
        start = payment_start(order=order, method=method, return_url=order.get_absolute_url())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(order.get_absolute_url())
    if start.redirect_url:
        return redirect(start.redirect_url)
    return redirect(order.get_absolute_url())


@require_POST
def order_cancel_view(request, public_id):
    order = _order_or_404(request, public_id)
    try:
        order_cancel(
            order=order,
            actor=request.user if request.user.is_authenticated else None,
            reason="Annulée par le client",
            by_customer=True,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Votre commande est annulée."))
    return redirect(order.get_absolute_url())

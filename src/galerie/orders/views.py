"""Order pages: history and detail. A visitor sees only their own orders; anything else is 404.

A guest may also open their order with the signed link of its e-mails (`?t=`, see
`order_for_link`): a tampered, foreign or expired link is refused (403) alike whether or not
the order exists."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galerie.core.errors import DomainError
from galerie.orders.errors import OrderLinkExpired, OrderLinkInvalid
from galerie.orders.models import OrderStatus
from galerie.orders.selectors import (
    order_for_link,
    order_for_request,
    order_vat_breakdown,
    orders_for_request,
)
from galerie.orders.services import order_remember_in_session
from galerie.payments.gateways import payment_methods_available
from galerie.payments.refunds import order_cancel
from galerie.payments.services import payment_start, payment_start_info


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
    seller_orders = list(order.seller_orders.prefetch_related("lines").order_by("pk"))
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
        and not any(so.status in ("shipped", "delivered") for so in seller_orders),
        "events": order.events.order_by("created_at"),
        "refunds": order.refunds.order_by("created_at"),
        "payment_outcome": request.GET.get("paiement", ""),
    }
    return render(request, "orders/detail.html", context)


def order_invoice(request, public_id, seller_order_id):
    """One seller's invoice for its part of the order (each seller invoices what it sells)."""
    order = _order_or_404(request, public_id)
    seller_order = order.seller_orders.select_related("seller").filter(pk=seller_order_id).first()
    if seller_order is None or order.paid_at is None:
        raise Http404
    context = {
        "order": order,
        "seller_order": seller_order,
        "seller": seller_order.seller,
        "lines": seller_order.lines.all(),
        "vat_rows": order_vat_breakdown(order, seller_order=seller_order),
        "invoice_number": f"{order.number}-{seller_order.pk}",
    }
    return render(request, "orders/invoice.html", context)


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
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Votre commande est annulée."))
    return redirect(order.get_absolute_url())

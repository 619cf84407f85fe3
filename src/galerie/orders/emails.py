"""Order e-mails, always sent after the transaction commits (never for a rolled-back order).

Callers register them with `transaction.on_commit(..., robust=True)`: a mail server that is down
is logged and never turns an order that was placed (committed) into an error page.
Every link in them is absolute, built by `storefront_absolute_url` (through `order_public_url`).
Within `core.mail.emails_suppressed()` none is sent (the demo's simulated year of trading).
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from galerie.core.mail import mail_send as _send
from galerie.orders.models import Order, OrderMailSent, SellerOrder
from galerie.orders.selectors import order_public_url
from galerie.storefronts.selectors import storefront_absolute_url


def order_confirmation_send(order_id: int) -> None:
    from galerie.orders.selectors import order_vat_breakdown

    order = Order.objects.select_related("storefront").get(pk=order_id)
    shop = order.storefront.name if order.storefront else "Galerie"
    seller_orders = list(order.seller_orders.prefetch_related("lines__booking"))
    for so in seller_orders:
        # A part made of trips alone has no parcel: no delivery mode nor dates to announce.
        so.ships = any(getattr(line, "booking", None) is None for line in so.lines.all())
    _send(
        _("%(shop)s — commande %(number)s enregistrée") % {"shop": shop, "number": order.number},
        "orders/email/confirmation.txt",
        {
            "order": order,
            "order_url": order_public_url(order),
            "shop": shop,
            "seller_orders": seller_orders,
            "has_trips": any(
                getattr(line, "booking", None) for so in seller_orders for line in so.lines.all()
            ),
            "vat_rows": order_vat_breakdown(order),
        },
        [order.email],
    )


def order_paid_send(order_id: int) -> None:
    order = Order.objects.select_related("storefront").get(pk=order_id)
    shop = order.storefront.name if order.storefront else "Galerie"
    _send(
        _("%(shop)s — paiement reçu pour la commande %(number)s")
        % {"shop": shop, "number": order.number},
        "orders/email/paid.txt",
        {"order": order, "order_url": order_public_url(order), "shop": shop},
        [order.email],
    )
    for seller_order in SellerOrder.objects.filter(order=order).select_related("seller"):
        _send(
            _("Nouvelle commande %(number)s à préparer") % {"number": order.number},
            "orders/email/seller_new_order.txt",
            _seller_order_context(order, seller_order),
            [seller_order.seller.email],
        )


def seller_order_status_send(seller_order_id: int) -> None:
    seller_order = SellerOrder.objects.select_related("order__storefront").get(pk=seller_order_id)
    order = seller_order.order
    _send(
        _("Commande %(number)s : %(status)s")
        % {"number": order.number, "status": seller_order.get_status_display()},
        "orders/email/status.txt",
        {"order": order, "order_url": order_public_url(order), "seller_order": seller_order},
        [order.email],
    )


def _seller_order_context(order, seller_order) -> dict:
    """The seller's part with the commission frozen at payment (none on the operator's)."""
    lines = list(seller_order.lines.all())
    commission = sum((line.commission_amount or 0 for line in lines), 0)
    return {
        "order": order,
        "seller_order": seller_order,
        "lines": lines,
        "commission_total": commission if not seller_order.seller.is_operator else None,
        "net_total": seller_order.total - commission,
        "portal_url": storefront_absolute_url(
            storefront=None, path=reverse("portal:order", args=[seller_order.pk])
        ),
    }


def order_mails_mode() -> str:
    """ "task" (a worker sends them, off the request) or "inline" (right after the commit, in the
    request). Default: "task" with REDIS_URL (a real queue with its workers), else "inline", so
    that an embedded installation without a worker still sends its e-mails."""
    mode = getattr(settings, "GALERIE_ORDER_EMAILS", "") or ""
    return mode or ("task" if getattr(settings, "REDIS_URL", "") else "inline")


def order_mail_queue(*, kind: str, order_id: int) -> None:
    """Send the order's `kind` e-mail once the current transaction commits (never for a rolled
    back order): in this process, or as a task (orders.tasks.order_mail_send)."""
    if order_mails_mode() == "task":
        from galerie.orders.tasks import order_mail_send

        language = translation.get_language() or ""
        transaction.on_commit(
            lambda: order_mail_send.enqueue(kind=kind, order_id=order_id, language=language),
            robust=True,
        )
    else:
        transaction.on_commit(lambda: ORDER_MAILS[kind](order_id), robust=True)


def order_mail_send_once(*, kind: str, order_id: int, language: str = "") -> bool:
    """Send the `kind` e-mail unless it was sent already; the marker row and the send share one
    transaction, so a failed send leaves no marker (the task may be retried)."""
    try:
        with transaction.atomic():
            OrderMailSent.objects.create(order_id=order_id, kind=kind)
            with translation.override(language or settings.LANGUAGE_CODE):
                ORDER_MAILS[kind](order_id)
    except IntegrityError:
        return False  # sent by an earlier run (or a concurrent one that committed first)
    return True


ORDER_MAILS = {"confirmation": order_confirmation_send, "paid": order_paid_send}

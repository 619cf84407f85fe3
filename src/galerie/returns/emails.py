"""Return e-mails, sent after the transaction commits (transaction.on_commit, robust): the
customer's acknowledgement with the return instructions, the seller's notice, the outcome, and
the customer service's warning of refunds falling due."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from galerie.core.mail import mail_send
from galerie.orders.selectors import order_public_url
from galerie.returns.models import ReturnKind, ReturnRequest


def _request(return_id: int) -> ReturnRequest:
    return ReturnRequest.objects.select_related(
        "order__storefront", "seller_order__seller", "line", "refund"
    ).get(pk=return_id)


def return_acknowledgement_send(return_id: int) -> None:
    """To the customer: what was asked, how to send the goods back; to the seller: a notice."""
    request = _request(return_id)
    order, seller = request.order, request.seller_order.seller
    shop = order.storefront.name if order.storefront else "Galerie"
    context = {
        "request": request,
        "order": order,
        "shop": shop,
        "seller": seller,
        "seller_order": request.seller_order,
        "order_url": order_public_url(order),
        "is_withdrawal": request.kind == ReturnKind.WITHDRAWAL,
    }
    mail_send(
        _("%(shop)s — votre demande de retour pour la commande %(n)s")
        % {"shop": shop, "n": order.number},
        "returns/email/acknowledgement.txt",
        context,
        [order.email],
    )
    mail_send(
        _("Nouvelle demande de retour — commande %(n)s") % {"n": order.number},
        "returns/email/seller_notice.txt",
        context,
        [seller.email],
    )


def return_outcome_send(return_id: int) -> None:
    request = _request(return_id)
    order = request.order
    shop = order.storefront.name if order.storefront else "Galerie"
    mail_send(
        _("%(shop)s — votre retour pour la commande %(n)s : %(s)s")
        % {"shop": shop, "n": order.number, "s": request.get_status_display()},
        "returns/email/outcome.txt",
        {"request": request, "order": order, "shop": shop, "order_url": order_public_url(order)},
        [order.email],
    )


def returns_overdue_send(return_ids: list[int], *, now: dt.datetime) -> None:
    """To every staff member who may mediate returns (customer service, superusers)."""
    users = get_user_model().objects.with_perm("returns.mediate").filter(is_active=True)
    to = sorted({user.email for user in users if user.email})
    requests = list(
        ReturnRequest.objects.filter(pk__in=return_ids)
        .select_related("order", "line")
        .order_by("refund_due_at", "pk")
    )
    mail_send(
        _("Rétractations : %(n)d remboursement(s) à faire sous 3 jours ou en retard")
        % {"n": len(requests)},
        "returns/email/overdue.txt",
        {"requests": requests, "now": now},
        to,
    )

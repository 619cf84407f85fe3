"""The customer's return pages under the order (/commandes/<public_id>/retours/): the order's
returns and, per delivered line, the withdrawal form and the conformity claim. Only the
visitor's own order opens (orders.selectors.order_for_request), and only its lines: else 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.core.errors import DomainError
from galerie.orders.models import OrderLine
from galerie.orders.selectors import (
    line_needs_seal_statement,
    line_withdrawal_refusal,
    order_for_request,
    withdrawal_deadline,
    withdrawal_open,
)
from galerie.returns.forms import ConformityForm, WithdrawalForm
from galerie.returns.models import ReturnKind
from galerie.returns.selectors import returns_of_order
from galerie.returns.services import (
    conformity_open,
    conformity_until,
    line_quantity_returnable,
    presumption_until,
    private_seller_refusal,
    return_conformity_claim,
    return_withdrawal_request,
)


def _order_or_404(request, public_id):
    order = order_for_request(request, public_id)
    if order is None:
        raise Http404
    return order


def _line_or_404(order, line_id: int) -> OrderLine:
    line = (
        OrderLine.objects.select_related(
            "seller_order__seller", "product__product_type", "booking", "subscription_term"
        )
        .filter(order=order, pk=line_id)
        .first()
    )
    if line is None:
        raise Http404
    return line


def _line_facts(line: OrderLine, now) -> dict:
    """What the pages show of one line: its periods, what is left, why it is excluded (the
    services' own predicates: the form refuses exactly what the page says)."""
    so = line.seller_order
    delivered = so.status == "delivered" and so.delivered_at is not None
    facts = {"line": line, "delivered": delivered, "left": line_quantity_returnable(line)}
    if not delivered:
        return facts
    refusal = private_seller_refusal(line, kind=ReturnKind.WITHDRAWAL) or line_withdrawal_refusal(
        line
    )
    return facts | {
        "withdrawal_deadline": withdrawal_deadline(delivered_at=so.delivered_at),
        "withdrawal_open": withdrawal_open(delivered_at=so.delivered_at, now=now) and not refusal,
        "withdrawal_refusal": refusal,
        "conformity_until": conformity_until(delivered_at=so.delivered_at),
        "presumption_until": presumption_until(
            delivered_at=so.delivered_at, condition=line.condition
        ),
        "conformity_open": private_seller_refusal(line, kind=ReturnKind.CONFORMITY) is None
        and conformity_open(delivered_at=so.delivered_at, now=now),
    }


def return_index(request, public_id):
    order = _order_or_404(request, public_id)
    now = clock.now()
    lines = (
        OrderLine.objects.filter(order=order)
        .select_related(
            "seller_order__seller", "product__product_type", "booking", "subscription_term"
        )
        .order_by("seller_order", "pk")
    )
    context = {
        "order": order,
        "lines": [_line_facts(line, now) for line in lines],
        "returns": returns_of_order(order),
    }
    return render(request, "returns/index.html", context)


def _form_page(request, public_id, line_id, *, kind: str):
    order = _order_or_404(request, public_id)
    line = _line_or_404(order, line_id)
    facts = _line_facts(line, clock.now())
    withdrawal = kind == "withdrawal"
    form_class = WithdrawalForm if withdrawal else ConformityForm
    extra = {"ask_seal": line_needs_seal_statement(line)} if withdrawal else {}
    form = form_class(request.POST or None, left=facts["left"], **extra)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if withdrawal:
                    return_withdrawal_request(
                        order=order,
                        line_id=line.pk,
                        quantity=data["quantity"],
                        reason=data["reason"],
                        seal_intact=form.seal_intact(),
                        idempotency_key=data["idempotency_key"],
                    )
                else:
                    return_conformity_claim(
                        order=order,
                        line_id=line.pk,
                        quantity=data["quantity"],
                        reason=data["reason"],
                        idempotency_key=data["idempotency_key"],
                    )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _(
                        "Votre demande est enregistrée : un e-mail de confirmation vous indique "
                        "comment renvoyer l'article."
                    ),
                )
                return redirect("returns:index", public_id=order.public_id)
        status = 400
    template = "returns/withdraw.html" if withdrawal else "returns/claim.html"
    return render(request, template, {"order": order, "form": form, **facts}, status=status)


def withdrawal_view(request, public_id, line_id: int):
    return _form_page(request, public_id, line_id, kind="withdrawal")


def conformity_view(request, public_id, line_id: int):
    return _form_page(request, public_id, line_id, kind="conformity")

"""Seller portal pages for returns (/vendeur/retours/): the seller's withdrawals and conformity
claims, receipt confirmation (which refunds a withdrawal) and the decision on a claim. Every
read is scoped to the current seller, so another seller's return answers 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galerie.core.errors import DomainError, NotFound
from galerie.portal.access import seller_view
from galerie.portal.context import portal_context
from galerie.portal.forms import ReturnFilterForm, ReturnResolveForm
from galerie.returns.selectors import return_of_seller, returns_of_seller
from galerie.returns.services import return_receive, return_resolve

PAGE_SIZE = 50


def _return_or_404(request, return_id: int):
    try:
        return return_of_seller(seller=request.seller, return_id=return_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@seller_view()
def return_list_view(request):
    form = ReturnFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    returns = returns_of_seller(
        seller=request.seller, status=data.get("status", ""), kind=data.get("kind", "")
    )
    params = request.GET.copy()
    params.pop("page", None)
    page = Paginator(returns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/return_list.html",
        portal_context(request, form=form, page=page, query=params.urlencode()),
    )


def _detail(request, return_request, *, resolve_form=None, status=200):
    return render(
        request,
        "portal/return_detail.html",
        portal_context(
            request,
            return_request=return_request,
            resolve_form=resolve_form or ReturnResolveForm(kind=return_request.kind),
        ),
        status=status,
    )


@seller_view()
def return_detail_view(request, return_id: int):
    return _detail(request, _return_or_404(request, return_id))


@require_POST
@seller_view()
def return_receive_view(request, return_id: int):
    return_request = _return_or_404(request, return_id)
    try:
        return_request = return_receive(request=return_request, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if return_request.refund_id:
            messages.success(request, _("Réception confirmée : le client est remboursé."))
        else:
            messages.success(request, _("Réception confirmée : indiquez la suite donnée."))
    return redirect("portal:return", return_id=return_request.pk)


@require_POST
@seller_view()
def return_resolve_view(request, return_id: int):
    return_request = _return_or_404(request, return_id)
    form = ReturnResolveForm(request.POST, kind=return_request.kind)
    if form.is_valid():
        try:
            return_resolve(
                request=return_request,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Décision enregistrée : le client est prévenu."))
            return redirect("portal:return", return_id=return_request.pk)
    return _detail(request, return_request, resolve_form=form, status=400)

"""The seller's side of notice and action under /vendeur/moderation/: the decisions concerning
it with their statement of reasons (DSA art. 17), and the internal complaint (art. 20). Reads go
through selectors filtered by the request's seller: another seller's decision is a 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from galerie.core.errors import DomainError
from galerie.moderation.forms import ComplaintForm
from galerie.moderation.selectors import decision_of_seller, decisions_of_seller
from galerie.moderation.services import complaint_deadline, complaint_open_to, complaint_submit
from galerie.portal.access import seller_view
from galerie.portal.context import portal_context


@seller_view()
def decision_list_view(request):
    return render(
        request,
        "moderation/portal/decision_list.html",
        portal_context(request, decisions=decisions_of_seller(request.seller)),
    )


@seller_view()
def decision_detail_view(request, decision_id: int):
    decision = decision_of_seller(request.seller, decision_id)
    if decision is None:
        raise Http404(_("Décision introuvable."))
    form = ComplaintForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                complaint_submit(
                    decision=decision,
                    seller=request.seller,
                    text=form.cleaned_data["text"],
                    user=request.user,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Réclamation déposée : nous vous répondrons."))
                return redirect("portal:decision", decision_id=decision.pk)
    return render(
        request,
        "moderation/portal/decision_detail.html",
        portal_context(
            request,
            decision=decision,
            form=form,
            can_complain=complaint_open_to(decision),
            deadline=complaint_deadline(decision),
        ),
        status=status,
    )

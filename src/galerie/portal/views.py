"""Seller portal pages. Every page is scoped to the sellers the user works for."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from galerie.portal.forms import SellerApplicationForm
from galerie.sellers.onboarding import SellerApplicationError, seller_apply


@login_required
def application_view(request):
    form = SellerApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seller = seller_apply(**form.cleaned_data, user=request.user)
        except SellerApplicationError as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            return render(request, "portal/application_done.html", {"seller": seller})
    return render(request, "portal/application.html", {"form": form})


def index_view(request):
    return redirect("portal:apply")

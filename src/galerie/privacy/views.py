"""The customer's personal-data pages under /compte/donnees/ (download a copy, delete the
account) and the cookie preferences page (/cookies/)."""

from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galerie.core import clock, throttle
from galerie.core.throttle import Throttled, client_ip
from galerie.privacy.errors import ErasureRefused
from galerie.privacy.export import customer_data_json, customer_data_zip
from galerie.privacy.forms import JSON, EraseForm, ExportForm
from galerie.privacy.models import ErasureReason
from galerie.privacy.services import customer_erase, customer_erase_blockers

LOGIN = reverse_lazy("accounts:login")


@login_required(login_url=LOGIN)
def data_home_view(request):
    return render(request, "privacy/home.html", {"form": ExportForm(initial={"format": JSON})})


@require_POST
@login_required(login_url=LOGIN)
def data_export_view(request):
    form = ExportForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/home.html", {"form": form}, status=400)
    try:
        throttle.throttle_hit(throttle.DATA_EXPORT_ACCOUNT, str(request.user.pk))
    except Throttled as error:
        form.add_error(None, error.message)
        return render(request, "privacy/home.html", {"form": form}, status=429)
    stamp = clock.localdate().isoformat()
    if form.cleaned_data["format"] == JSON:
        response = HttpResponse(
            customer_data_json(user=request.user), content_type="application/json; charset=utf-8"
        )
        filename = f"mes-donnees-{stamp}.json"
    else:
        response = HttpResponse(
            customer_data_zip(user=request.user), content_type="application/zip"
        )
        filename = f"mes-donnees-{stamp}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required(login_url=LOGIN)
def account_erase_view(request):
    """Confirmation by password; the login throttle counts wrong passwords here too, so this
    form is no way around it."""
    user = request.user
    form = EraseForm(request.POST or None)
    blockers = customer_erase_blockers(user=user)
    status = 200
    if request.method == "POST" and form.is_valid() and not blockers:
        account, ip = user.get_username(), client_ip(request)
        try:
            throttle.login_throttle_check(account=account, ip=ip)
            if authenticate(request, username=account, password=form.cleaned_data["password"]):
                customer_erase(user=user, actor=user, reason=ErasureReason.CUSTOMER)
                logout(request)
                messages.success(request, _("Votre compte est supprimé. Au revoir !"))
                return redirect("/")
            throttle.login_failure_record(account=account, ip=ip)
            form.add_error("password", _("Mot de passe incorrect."))
            status = 400
        except Throttled as error:
            form.add_error(None, error.message)
            status = 429
        except ErasureRefused as error:
            form.add_error(None, error.message)
            status = 409
    elif request.method == "POST":
        status = 409 if blockers else 400
    return render(
        request, "privacy/erase.html", {"form": form, "blockers": blockers}, status=status
    )


def cookie_preferences_view(request):
    """The same page for everyone: the visitor's choice is read and written by
    privacy/consent.js in the browser, never by the server."""
    return render(request, "privacy/cookies.html")

"""The simulated provider's hosted payment pages, and Galerie's webhook endpoint.

The hosted pages stand for the provider's own site: the card number typed there is read once
to pick the test outcome and never stored nor passed to Galerie's models.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from galerie.payments.errors import WebhookRejected
from galerie.payments.gateways import SIGNATURE_HEADER
from galerie.payments.models import SimulatedCharge
from galerie.payments.services import payment_webhook_receive
from galerie.payments.simulator import CardRejected, charge_challenge, charge_submit


def simulator_only(view):
    """The simulated provider exists only with GALERIE_PAYMENT_SIMULATOR=1: elsewhere its pages
    and its webhook are 404. Checked per request (not when the URLconf is built) so that tests
    can switch it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.GALERIE_PAYMENT_SIMULATOR:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _charge_or_404(token: str) -> SimulatedCharge:
    charge = SimulatedCharge.objects.filter(token=token).first()
    if charge is None:
        raise Http404
    return charge


def _back(request, charge: SimulatedCharge, outcome: str) -> HttpResponse:
    url = charge.return_url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = "/"
    sep = "&" if "?" in url else "?"
    return HttpResponseRedirect(f"{url}{sep}{urlencode({'paiement': outcome})}")


@simulator_only
@never_cache
def hosted_page(request, token):
    charge = _charge_or_404(token)
    if charge.status == "challenge":
        return HttpResponseRedirect(request.path + "3ds/")
    if charge.status != "open":
        return _back(request, charge, charge.status)
    error = ""
    if request.method == "POST":
        try:
            outcome = charge_submit(
                token=token,
                card_number=request.POST.get("card_number", ""),
                expiry=request.POST.get("expiry", ""),
                consent=request.POST.get("consent") == "1",
            )
        except CardRejected as exc:
            error = str(exc)
        else:
            if outcome == "challenge":
                return HttpResponseRedirect(request.path + "3ds/")
            return _back(request, charge, outcome)
    response = render(
        request,
        "payments/hosted.html",
        {"charge": charge, "error": error},
        status=400 if error else 200,
    )
    return response


@simulator_only
@never_cache
def hosted_challenge(request, token):
    charge = _charge_or_404(token)
    if charge.status != "challenge":
        return _back(request, charge, charge.status)
    if request.method == "POST":
        outcome = charge_challenge(token=token, approved=request.POST.get("decision") == "approve")
        return _back(request, charge, outcome)
    return render(request, "payments/challenge.html", {"charge": charge})


@csrf_exempt
@simulator_only
@require_POST
def webhook(request):
    try:
        result = payment_webhook_receive(
            raw_body=request.body, signature=request.headers.get(SIGNATURE_HEADER, "")
        )
    except WebhookRejected as exc:
        return JsonResponse({"code": exc.code, "message": exc.message}, status=400)
    return JsonResponse({"result": result})

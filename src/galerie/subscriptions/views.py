"""The customer's subscriptions under /compte/abonnements/: the list, one subscription's issues and
terms, the tacit renewal switch, and termination in three clicks (Code de la consommation,
art. L215-1-1; décret 2023-417): the footer's « Résilier un abonnement » link (1), the
subscription chosen (2), « Confirmer la résiliation » (3).

Every read goes through the selectors filtered by the logged-in user: another customer's
subscription id is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galerie.subscriptions.errors import NotTerminable
from galerie.subscriptions.models import SubscriptionStatus
from galerie.subscriptions.selectors import (
    subscription_issues,
    subscription_of_user,
    subscription_terms,
    subscriptions_of_user,
    subscriptions_terminable_of_user,
)
from galerie.subscriptions.services import subscription_auto_renew_set, subscription_terminate

login_needed = login_required(login_url=reverse_lazy("accounts:login"))


def _own(request, public_id):
    subscription = subscription_of_user(request.user, public_id)
    if subscription is None:
        raise Http404(_("Abonnement introuvable."))
    return subscription


@login_needed
def subscription_list_view(request):
    return render(
        request,
        "subscriptions/account/list.html",
        {"subscriptions": list(subscriptions_of_user(request.user))},
    )


@login_needed
def subscription_detail_view(request, public_id):
    subscription = _own(request, public_id)
    return render(
        request,
        "subscriptions/account/detail.html",
        {
            "subscription": subscription,
            "terms": subscription_terms(subscription),
            "issues": subscription_issues(subscription),
            "can_change": subscription.status == SubscriptionStatus.ACTIVE,
        },
    )


@require_POST
@login_needed
def subscription_auto_renew_view(request, public_id):
    subscription = _own(request, public_id)
    wanted = request.POST.get("auto_renew") == "1"
    try:
        subscription_auto_renew_set(subscription=subscription, auto_renew=wanted)
    except NotTerminable as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Reconduction tacite activée.") if wanted else _("Reconduction tacite arrêtée."),
        )
    return redirect("subscriptions:detail", public_id=subscription.public_id)


# --- termination in three clicks -----------------------------------------------------------------


@login_needed
def terminate_choose_view(request):
    """Click 1 lands here: the subscriptions that can be terminated."""
    return render(
        request,
        "subscriptions/account/terminate_choose.html",
        {
            "subscriptions": subscriptions_terminable_of_user(request.user),
            "terminated": list(
                subscriptions_of_user(request.user).filter(status=SubscriptionStatus.TERMINATING)
            ),
        },
    )


@login_needed
def terminate_confirm_view(request, public_id):
    """Click 2 shows what terminating means; click 3 (POST) terminates."""
    subscription = _own(request, public_id)
    if subscription.status == SubscriptionStatus.TERMINATING:
        return redirect("subscriptions:terminate_done", public_id=subscription.public_id)
    if request.method == "POST":
        try:
            subscription_terminate(subscription=subscription)
        except NotTerminable as exc:
            messages.error(request, exc.message)
            return redirect("subscriptions:detail", public_id=subscription.public_id)
        return redirect("subscriptions:terminate_done", public_id=subscription.public_id)
    if subscription.status != SubscriptionStatus.ACTIVE:
        messages.error(request, _("Cet abonnement n'est plus en cours : il n'y a rien à résilier."))
        return redirect("subscriptions:detail", public_id=subscription.public_id)
    return render(
        request, "subscriptions/account/terminate_confirm.html", {"subscription": subscription}
    )


@login_needed
def terminate_done_view(request, public_id):
    subscription = _own(request, public_id)
    if subscription.status != SubscriptionStatus.TERMINATING:
        return redirect("subscriptions:detail", public_id=subscription.public_id)
    return render(
        request, "subscriptions/account/terminate_done.html", {"subscription": subscription}
    )

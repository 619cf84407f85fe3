"""The customer's subscriptions under /compte/abonnements/: the list, one subscription's issues and
terms, the tacit renewal switch, and termination in three clicks (Code de la consommation,
art. L215-1-1; décret 2023-417): the footer's « Résilier un abonnement » link (1), the
subscription chosen (2), « Confirmer la résiliation » (3).

A subscriber without an account (a guest checkout) terminates too: the same page (1) asks for
the subscription's e-mail and order number and e-mails a signed, expiring link, which opens the
same confirmation (2, 3). Withdrawal (14 days, pro rata) has its own confirmation page that
states the refund before the customer confirms.

Every read goes through the selectors filtered by the logged-in user, or by the signed link:
another customer's subscription id is a 404.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galerie.core import throttle
from galerie.core.errors import DomainError
from galerie.core.throttle import Throttled, client_ip
from galerie.payments.refunds import subscription_terminate_or_refund, subscription_withdraw
from galerie.subscriptions.errors import (
    NotTerminable,
    TerminationLinkExpired,
    TerminationLinkInvalid,
)
from galerie.subscriptions.forms import TerminationLinkForm
from galerie.subscriptions.models import SubscriptionStatus
from galerie.subscriptions.selectors import (
    subscription_for_termination_link,
    subscription_issues,
    subscription_late_termination_quote,
    subscription_of_user,
    subscription_terms,
    subscription_withdrawal_quote,
    subscriptions_of_user,
    subscriptions_terminable_of_user,
)
from galerie.subscriptions.services import (
    subscription_auto_renew_set,
    subscription_termination_link_request,
)

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


def _withdrawal_quote(subscription):
    try:
        return subscription_withdrawal_quote(subscription)
    except DomainError:
        return None


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
            "withdrawal": _withdrawal_quote(subscription),
        },
    )


@login_needed
def withdraw_view(request, public_id):
    """Withdrawal (14 days, L221-18): GET states the refund, POST withdraws and refunds it."""
    subscription = _own(request, public_id)
    detail = redirect("subscriptions:detail", public_id=subscription.public_id)
    if request.method == "POST":
        try:
            refund = subscription_withdraw(
                subscription=subscription,
                actor=request.user,
                idempotency_key=f"withdrawal-{subscription.pk}",
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return detail
        amount = refund.amount if refund else 0
        messages.success(
            request,
            _(
                "Votre rétractation est enregistrée : l'abonnement est annulé et %(a)s € vous "
                "sont remboursés. Une confirmation vous a été envoyée par e-mail."
            )
            % {"a": amount},
        )
        return detail
    try:
        quote = subscription_withdrawal_quote(subscription)
    except DomainError as exc:
        messages.error(request, exc.message)
        return detail
    return render(
        request,
        "subscriptions/account/withdraw_confirm.html",
        {"subscription": subscription, "quote": quote},
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


def terminate_choose_view(request):
    """Click 1 lands here: the subscriptions that can be terminated; for a visitor who is not
    logged in, the form that e-mails a termination link (or the login)."""
    if not request.user.is_authenticated:
        return _terminate_request(request)
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


def _terminate_request(request):
    form = TerminationLinkForm(request.POST or None)
    status, sent = 200, False
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            email = form.cleaned_data["email"]
            try:
                # Counted whether or not anything matches: the answer never depends on it.
                throttle.throttle_hit(throttle.TERMINATION_LINK_IP, client_ip(request))
                throttle.throttle_hit(throttle.TERMINATION_LINK_ACCOUNT, email)
            except Throttled as error:
                form.add_error(None, error.message)
                status = 429
            else:
                subscription_termination_link_request(
                    email=email, reference=form.cleaned_data["reference"]
                )
                sent = True
    return render(
        request,
        "subscriptions/account/terminate_request.html",
        {
            "form": form,
            "sent": sent,
            "sent_to": form.cleaned_data.get("email") if sent else "",
            "login_url": f"{reverse('accounts:login')}?"
            + urlencode({"next": reverse("subscriptions:terminate_choose")}),
        },
        status=status,
    )


def _terminable(request, public_id):
    """The subscription a termination page acts on and the link token to carry along: by the
    signed link (`t`) for anyone holding it, else one of the logged-in customer's (404 for
    another's). Returns (subscription, token) or an HttpResponse to answer instead."""
    token = request.POST.get("t") or request.GET.get("t")
    if token:
        try:
            subscription = subscription_for_termination_link(public_id=public_id, token=token)
        except (TerminationLinkInvalid, TerminationLinkExpired) as exc:
            messages.error(request, exc.message)
            return redirect("subscriptions:terminate_choose"), None
        if subscription is None:
            raise Http404(_("Abonnement introuvable."))
        return subscription, token
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("accounts:login")), None
    return _own(request, public_id), ""


def _after(name, subscription, token):
    url = reverse(f"subscriptions:{name}", kwargs={"public_id": subscription.public_id})
    return redirect(f"{url}?{urlencode({'t': token})}" if token else url)


def terminate_confirm_view(request, public_id):
    """Click 2 shows what terminating means (and, after a late renewal notice, the refund);
    click 3 (POST) terminates."""
    subscription, token = _terminable(request, public_id)
    if token is None:
        return subscription  # the answer to give instead (login, invalid link)
    back = (
        _after("detail", subscription, "")
        if not token
        else redirect("subscriptions:terminate_choose")
    )
    if subscription.terminated_at is not None and subscription.status in (
        SubscriptionStatus.TERMINATING,
        SubscriptionStatus.ENDED,
    ):
        return _after("terminate_done", subscription, token)
    if request.method == "POST":
        try:
            subscription_terminate_or_refund(
                subscription=subscription,
                actor=request.user if request.user.is_authenticated else None,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return back
        return _after("terminate_done", subscription, token)
    if subscription.status != SubscriptionStatus.ACTIVE:
        messages.error(request, _("Cet abonnement n'est plus en cours : il n'y a rien à résilier."))
        return back
    return render(
        request,
        "subscriptions/account/terminate_confirm.html",
        {
            "subscription": subscription,
            "token": token,
            "late": subscription_late_termination_quote(subscription),
        },
    )


def terminate_done_view(request, public_id):
    subscription, token = _terminable(request, public_id)
    if token is None:
        return subscription
    if subscription.terminated_at is None or subscription.status not in (
        SubscriptionStatus.TERMINATING,
        SubscriptionStatus.ENDED,
    ):
        if token:
            return redirect("subscriptions:terminate_choose")
        return redirect("subscriptions:detail", public_id=subscription.public_id)
    return render(
        request,
        "subscriptions/account/terminate_done.html",
        {"subscription": subscription, "token": token},
    )

"""Account pages under /compte/: register, login, logout, password reset, address book, saved
cards."""

from django.contrib import messages
from django.contrib.admin import site as admin_site
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galerie.accounts import services
from galerie.accounts.forms import AddressForm, LoginForm, PasswordResetForm, RegisterForm
from galerie.accounts.models import Address
from galerie.cart.selectors import session_cart_tokens, session_cart_tokens_forget
from galerie.cart.services import cart_merge_on_login
from galerie.core import throttle
from galerie.core.throttle import Throttled, client_ip
from galerie.payments.selectors import saved_card_get, saved_card_subscriptions, saved_cards_of
from galerie.payments.services import saved_card_deactivate


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _site_name(request) -> str:
    storefront = getattr(request, "storefront", None)
    return storefront.name if storefront else _("la galerie marchande")


def _log_in(request, user) -> None:
    """Log in (Django rotates the session key) and move the guest's carts into the user's."""
    tokens = session_cart_tokens(request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if tokens:
        for notice in cart_merge_on_login(user=user, guest_tokens=tokens):
            messages.warning(request, notice)
        session_cart_tokens_forget(request)


def login_view(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request, reverse("accounts:home")))
    form = LoginForm(request.POST or None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    if request.method == "POST" and form.is_valid():
        email, ip = form.cleaned_data["email"], client_ip(request)
        try:
            throttle.login_throttle_check(account=email, ip=ip)
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                throttle.login_failure_record(account=email, ip=ip)
                form.add_error(None, _("E-mail ou mot de passe incorrect."))
                status = 400
            else:
                throttle.login_success_record(account=email, ip=ip)
                _log_in(request, user)
                messages.success(request, _("Vous êtes connecté."))
                return redirect(_next_url(request, reverse("accounts:home")))
        except Throttled as error:
            form.add_error(None, error.message)
            status = 429
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _next_url(request, "")},
        status=status,
    )


def register_view(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = RegisterForm(request.POST or None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            throttle.throttle_hit(throttle.REGISTER_IP, client_ip(request))
            throttle.throttle_hit(throttle.REGISTER_ACCOUNT, email)
        except Throttled as error:
            form.add_error(None, error.message)
            status = 429
        else:
            services.user_register(
                email=email,
                password=form.cleaned_data["password1"],
                base_url=request.build_absolute_uri("/"),
                site_name=_site_name(request),
            )
            # The same page whether the address was new or not (see user_register).
            return render(request, "accounts/register_done.html", {"email": email})
    return render(
        request,
        "accounts/register.html",
        {"form": form, "next": _next_url(request, "")},
        status=status,
    )


def activate_view(request, uidb64: str, token: str):
    """GET shows a button, POST activates and logs in: a mail scanner fetching the link neither
    activates the account nor receives a session for it."""
    try:
        user = User.objects.filter(pk=int(force_str(urlsafe_base64_decode(uidb64)))).first()
    except (TypeError, ValueError, OverflowError):
        user = None
    valid = (
        user is not None
        and services.user_is_pending(user)
        and services.activation_token.check_token(user, token)
    )
    if request.method == "POST" and valid and services.user_activate(user=user, token=token):
        _log_in(request, user)
        messages.success(request, _("Bienvenue ! Votre compte est activé."))
        return redirect(reverse("accounts:home"))
    return render(request, "accounts/activate.html", {"valid": valid}, status=200 if valid else 400)


def admin_login_view(request, extra_context=None):
    """The admin's login (its form checks the throttle: AdminLoginForm), answering 429 when
    the throttle refused."""
    response = admin_site.login(request, extra_context)
    form = (getattr(response, "context_data", None) or {}).get("form")
    if form is not None and form.is_bound and form.has_error(NON_FIELD_ERRORS, "throttled"):
        response.status_code = 429
    return response


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("Vous êtes déconnecté."))
    return redirect("/")


@login_required(login_url=reverse_lazy("accounts:login"))
def home_view(request):
    return render(
        request,
        "accounts/home.html",
        {"addresses": list(request.user.addresses.all()[:3])},
    )


@login_required(login_url=reverse_lazy("accounts:login"))
def address_list_view(request):
    addresses = request.user.addresses.all()
    return render(request, "accounts/address_list.html", {"addresses": addresses})


def _own_address(request, pk: int) -> Address:
    address = Address.objects.filter(pk=pk, user=request.user).first()
    if address is None:
        raise Http404(_("Adresse introuvable."))
    return address


@login_required(login_url=reverse_lazy("accounts:login"))
def address_edit_view(request, pk: int | None = None):
    address = _own_address(request, pk) if pk else None
    initial = None
    if address is not None:
        initial = {**address.as_dict(), "label": address.label, "is_default": address.is_default}
    form = AddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.address_save(
            user=request.user,
            address=address,
            data={
                **form.address(),
                "label": form.cleaned_data["label"],
                "is_default": form.cleaned_data["is_default"],
            },
        )
        messages.success(request, _("Adresse enregistrée."))
        return redirect(_next_url(request, reverse("accounts:addresses")))
    return render(
        request,
        "accounts/address_form.html",
        {"form": form, "address": address, "next": _next_url(request, "")},
        status=400 if form.errors else 200,
    )


@login_required(login_url=reverse_lazy("accounts:login"))
def address_delete_view(request, pk: int):
    address = _own_address(request, pk)
    if request.method == "POST":
        services.address_delete(user=request.user, address=address)
        messages.success(request, _("Adresse supprimée."))
        return redirect("accounts:addresses")
    return render(request, "accounts/address_confirm_delete.html", {"address": address})


@login_required(login_url=reverse_lazy("accounts:login"))
def card_list_view(request):
    return render(request, "accounts/card_list.html", {"cards": saved_cards_of(user=request.user)})


@login_required(login_url=reverse_lazy("accounts:login"))
def card_delete_view(request, pk: int):
    card = saved_card_get(user=request.user, pk=pk)
    if card is None:
        raise Http404(_("Carte introuvable."))
    if request.method == "POST":
        saved_card_deactivate(user=request.user, card=card)
        messages.success(request, _("Carte supprimée."))
        return redirect("accounts:cards")
    return render(
        request,
        "accounts/card_confirm_delete.html",
        {"card": card, "subscriptions": saved_card_subscriptions(card=card)},
    )


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    form_class = PasswordResetForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "storefront": getattr(self.request, "storefront", None),
        }

    def form_valid(self, form):
        try:
            throttle.throttle_hit(throttle.PASSWORD_RESET_IP, client_ip(self.request))
            throttle.throttle_hit(throttle.PASSWORD_RESET_ACCOUNT, form.cleaned_data["email"])
        except Throttled as error:
            form.add_error(None, error.message)  # no e-mail sent
            return self.render_to_response(self.get_context_data(form=form), status=429)
        # The e-mail speaks in the storefront's name, not its host name.
        self.extra_email_context = {"site_name": _site_name(self.request)}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"

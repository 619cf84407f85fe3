"""Account pages under /compte/: register, login, logout, password reset, address book."""

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galerie.accounts import services
from galerie.accounts.errors import TooManyLoginAttempts
from galerie.accounts.forms import AddressForm, LoginForm, PasswordResetForm, RegisterForm
from galerie.accounts.models import Address
from galerie.cart.selectors import session_cart_tokens, session_cart_tokens_forget
from galerie.cart.services import cart_merge_on_login


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


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
        email, ip = form.cleaned_data["email"], _client_ip(request)
        try:
            services.login_throttle_check(email=email, ip=ip)
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                services.login_failure_record(email=email, ip=ip)
                form.add_error(None, _("E-mail ou mot de passe incorrect."))
                status = 400
            else:
                services.login_failures_reset(email=email, ip=ip)
                _log_in(request, user)
                messages.success(request, _("Vous êtes connecté."))
                return redirect(_next_url(request, reverse("accounts:home")))
        except TooManyLoginAttempts as error:
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
    if request.method == "POST" and form.is_valid():
        user = services.user_register(
            email=form.cleaned_data["email"], password=form.cleaned_data["password1"]
        )
        _log_in(request, user)
        messages.success(request, _("Bienvenue ! Votre compte est créé."))
        return redirect(_next_url(request, reverse("accounts:home")))
    return render(
        request,
        "accounts/register.html",
        {"form": form, "next": _next_url(request, "")},
        status=400 if form.errors else 200,
    )


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
        # The e-mail speaks in the storefront's name, not its host name.
        storefront = getattr(self.request, "storefront", None)
        self.extra_email_context = {
            "site_name": storefront.name if storefront else _("la galerie marchande")
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"

"""Account and address forms: shape checks only (the services decide meaning)."""

import re

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from galerie.accounts.countries import DELIVERY_COUNTRIES, country_choices
from galerie.core import throttle
from galerie.storefronts.selectors import storefront_absolute_url

_POSTCODE = {
    "FR": (re.compile(r"^\d{5}$"), _("Le code postal français compte 5 chiffres (ex. 75011).")),
    "MC": (re.compile(r"^980\d{2}$"), _("Le code postal monégasque est de la forme 980xx.")),
    "BE": (re.compile(r"^\d{4}$"), _("Le code postal belge compte 4 chiffres.")),
    "LU": (re.compile(r"^(L-)?\d{4}$"), _("Le code postal luxembourgeois compte 4 chiffres.")),
    "CH": (re.compile(r"^\d{4}$"), _("Le code postal suisse compte 4 chiffres.")),
    "DE": (re.compile(r"^\d{5}$"), _("Le code postal allemand compte 5 chiffres.")),
    "ES": (re.compile(r"^\d{5}$"), _("Le code postal espagnol compte 5 chiffres.")),
    "IT": (re.compile(r"^\d{5}$"), _("Le code postal italien compte 5 chiffres.")),
}
_GENERIC_POSTCODE = re.compile(r"^[A-Z0-9][A-Z0-9 -]{1,10}$")
_PHONE = re.compile(r"^\+?[0-9 .()-]{6,20}$")


def clean_postcode(postcode: str, country: str) -> str:
    postcode = " ".join(postcode.upper().split())
    rule = _POSTCODE.get(country)
    if rule is not None:
        pattern, message = rule
        if not pattern.match(postcode):
            raise forms.ValidationError(message, code="invalid_postcode")
    elif not _GENERIC_POSTCODE.match(postcode):
        raise forms.ValidationError(_("Code postal invalide."), code="invalid_postcode")
    return postcode


class AddressFields(forms.Form):
    """The postal address fields, shared by the address book, the checkout and the API."""

    name = forms.CharField(label=_("Nom et prénom"), max_length=120)
    line1 = forms.CharField(label=_("Adresse"), max_length=200)
    line2 = forms.CharField(label=_("Complément d'adresse"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Code postal"), max_length=12)
    city = forms.CharField(label=_("Ville"), max_length=100)
    country = forms.ChoiceField(label=_("Pays"), initial="FR")
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()
        self.fields["postcode"].widget.attrs.update(inputmode="numeric", autocomplete="postal-code")
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["line1"].widget.attrs.update(autocomplete="address-line1")
        self.fields["line2"].widget.attrs.update(autocomplete="address-line2")
        self.fields["city"].widget.attrs.update(autocomplete="address-level2")
        self.fields["phone"].widget.attrs.update(autocomplete="tel", type="tel")

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(_("Numéro de téléphone invalide."))
        return phone

    def clean(self):
        data = super().clean()
        country = data.get("country")
        if data.get("postcode") and country in DELIVERY_COUNTRIES:
            try:
                data["postcode"] = clean_postcode(data["postcode"], country)
            except forms.ValidationError as error:
                self.add_error("postcode", error)
        return data

    def address(self) -> dict:
        return {k: self.cleaned_data.get(k, "") for k in AddressFields.base_fields}


class AddressForm(AddressFields):
    label = forms.CharField(
        label=_("Libellé (facultatif)"),
        max_length=60,
        required=False,
        help_text=_("Ex. « Maison », « Bureau »."),
    )
    is_default = forms.BooleanField(label=_("Adresse par défaut"), required=False)

    field_order = ["label", *AddressFields.base_fields, "is_default"]


class RegisterForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"), max_length=150)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        # Whether the address already has an account is never said here (see user_register).
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        elif p1 and data.get("email"):
            try:
                password_validation.validate_password(
                    p1, User(username=data["email"], email=data["email"])
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, its link absolute on the storefront's own host (not the Host header)."""

    def __init__(self, *args, storefront=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.storefront = storefront

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        context["reset_url"] = storefront_absolute_url(storefront=self.storefront, path=path)
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login form, behind the storefront login's throttle (the same accounts)."""

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        ip = throttle.client_ip(self.request)
        try:
            throttle.login_throttle_check(account=username, ip=ip)
        except throttle.Throttled as error:
            raise forms.ValidationError(error.message, code="throttled") from error
        try:
            data = super().clean()
        except forms.ValidationError:
            throttle.login_failure_record(account=username, ip=ip)
            raise
        throttle.login_success_record(account=username, ip=ip)
        return data

"""Account and address forms: shape checks only (the services decide meaning)."""

import unicodedata

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from galerie.accounts.addresses import ADDRESS_FIELDS, ADDRESS_LIMITS, REQUIRED, address_check
from galerie.accounts.countries import country_choices
from galerie.core import throttle
from galerie.storefronts.selectors import storefront_absolute_url


class AddressFields(forms.Form):
    """The postal address fields, shared by the address book and the checkout. The fields only
    carry the shape; accounts.addresses decides (the same limits, countries, postcode rules and
    messages as the API and order_place), so the fields have no limits of their own."""

    name = forms.CharField(label=_("Nom et prénom"), required=False)
    line1 = forms.CharField(label=_("Adresse"), required=False)
    line2 = forms.CharField(label=_("Complément d'adresse"), required=False)
    postcode = forms.CharField(label=_("Code postal"), required=False)
    city = forms.CharField(label=_("Ville"), required=False)
    country = forms.CharField(label=_("Pays"), initial="FR", required=False, widget=forms.Select)
    phone = forms.CharField(label=_("Téléphone"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].widget.choices = country_choices()
        for name in ADDRESS_FIELDS:
            attrs = self.fields[name].widget.attrs
            if name != "country":
                attrs["maxlength"] = str(ADDRESS_LIMITS[name])
            if name in REQUIRED:
                attrs["required"] = True
        self.fields["postcode"].widget.attrs.update(autocomplete="postal-code")
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["line1"].widget.attrs.update(autocomplete="address-line1")
        self.fields["line2"].widget.attrs.update(autocomplete="address-line2")
        self.fields["city"].widget.attrs.update(autocomplete="address-level2")
        self.fields["phone"].widget.attrs.update(autocomplete="tel", type="tel")

    def clean(self):
        data = super().clean()
        clean, errors = address_check({name: data.get(name, "") for name in ADDRESS_FIELDS})
        for name, message in errors.items():
            self.add_error(name, forms.ValidationError(message, code="invalid_address"))
        data.update({name: value for name, value in clean.items() if name not in errors})
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

    def get_users(self, email):
        """Django's active accounts with a usable password, and also those with none: an account
        taken in with a storefront (carveout) arrives without its password, and choosing one
        here is how its customer logs in again. No account here lacks one for another reason."""
        active = User._default_manager.filter(email__iexact=email, is_active=True)
        wanted = unicodedata.normalize("NFKC", email).casefold()
        # The same exact-match check as Django's (CVE-2019-19844): never mail a look-alike address.
        return (
            user
            for user in active
            if unicodedata.normalize("NFKC", user.email).casefold() == wanted
        )

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

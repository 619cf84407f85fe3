"""Forms of the personal-data pages: shape checks only (the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

JSON, CSV = "json", "csv"


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[(JSON, "JSON"), (CSV, _("CSV (archive ZIP)"))],
        widget=forms.RadioSelect,
    )


class EraseForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

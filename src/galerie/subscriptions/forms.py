"""The form a subscriber without an account fills to receive a termination link."""

from django import forms
from django.utils.translation import gettext_lazy as _

from galerie.subscriptions.models import Subscription

# An order number (G0001234) with room for spaces; the lookup parses it (selectors).
REFERENCE_MAX = 24


class TerminationLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail de l'abonnement"),
        max_length=Subscription._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    reference = forms.CharField(
        label=_("Numéro de la commande"),
        max_length=REFERENCE_MAX,
        help_text=_("Indiqué dans l'e-mail de confirmation de votre commande (ex. G0001234)."),
    )

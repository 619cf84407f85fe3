"""Forms of the seller portal: they check shape; the onboarding service checks meaning."""

from django import forms
from django.utils.translation import gettext_lazy as _

from galerie.sellers.models import LegalForm


class SellerApplicationForm(forms.Form):
    name = forms.CharField(label=_("Nom commercial (affiché aux clients)"), max_length=120)
    legal_name = forms.CharField(label=_("Raison sociale, ou nom et prénom"), max_length=200)
    is_trader = forms.TypedChoiceField(
        label=_("Vous vendez en tant que"),
        choices=[("1", _("professionnel")), ("0", _("particulier"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    legal_form = forms.ChoiceField(label=_("Forme juridique"), choices=LegalForm.choices)
    siren = forms.CharField(
        label=_("SIREN ou SIRET"),
        max_length=20,
        required=False,
        help_text=_("Obligatoire pour les professionnels."),
    )
    vat_number = forms.CharField(
        label=_("N° de TVA intracommunautaire"), max_length=20, required=False
    )
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Téléphone"), max_length=30)
    address = forms.CharField(label=_("Adresse"), widget=forms.Textarea(attrs={"rows": 3}))
    iban = forms.CharField(label=_("IBAN du compte de versement"), max_length=42)
    bic = forms.CharField(label=_("BIC"), max_length=11)
    identity_document_ref = forms.CharField(
        label=_("Pièce d'identité du représentant (type et numéro)"), max_length=100
    )
    certifies_compliance = forms.BooleanField(
        label=_(
            "Je certifie ne proposer que des produits et services conformes au droit de l'Union "
            "européenne (règlement sur les services numériques, art. 30)."
        ),
        required=False,
    )

"""The customer's forms: shape only (bounds from the model and the line); the services decide."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from galerie.orders.limits import LINE_QUANTITY_MAX
from galerie.returns.models import ReturnRequest

REASON_MAX = ReturnRequest._meta.get_field("reason").max_length
SEAL_CHOICES = [("yes", _("Oui, l'emballage scellé est intact")), ("no", _("Non, je l'ai ouvert"))]


class _ReturnForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantité"), min_value=1, max_value=LINE_QUANTITY_MAX)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, left: int = 1, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        kwargs["initial"].setdefault("quantity", 1)
        super().__init__(*args, **kwargs)
        self.fields["quantity"].widget.attrs.update({"min": 1, "max": max(left, 1)})


class WithdrawalForm(_ReturnForm):
    reason = forms.CharField(
        label=_("Motif (facultatif)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, ask_seal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if ask_seal:
            self.fields["seal_intact"] = forms.ChoiceField(
                label=_("L'emballage scellé (film, scellé) est-il intact ?"),
                choices=SEAL_CHOICES,
                widget=forms.RadioSelect,
            )

    def seal_intact(self) -> bool | None:
        value = self.cleaned_data.get("seal_intact")
        return None if value is None else value == "yes"


class ConformityForm(_ReturnForm):
    reason = forms.CharField(
        label=_("Défaut constaté"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )

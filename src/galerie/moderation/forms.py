"""Forms of notice and action: their limits come from the models (galerie.moderation.limits);
what a value means (an e-mail required unless the category allows anonymity) is the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from galerie.moderation.limits import COMPLAINT_MAX, EXPLANATION_MAX, NAME_MAX
from galerie.moderation.models import NoticeCategory


class NoticeForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Motif du signalement"),
        choices=NoticeCategory.choices,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Pourquoi ce contenu est-il illicite ?"),
        max_length=EXPLANATION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Soyez précis : ce qui est illicite et ce qui vous permet de l'affirmer."),
    )
    reporter_name = forms.CharField(label=_("Votre nom"), max_length=NAME_MAX, required=False)
    reporter_email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        required=False,
        help_text=_("Obligatoires, sauf pour un signalement d'abus sexuel sur mineur."),
    )
    good_faith = forms.BooleanField(
        label=_(
            "Je déclare de bonne foi que les informations et allégations de ce signalement "
            "sont exactes et complètes."
        ),
    )


class ComplaintForm(forms.Form):
    text = forms.CharField(
        label=_("Pourquoi la décision devrait-elle être revue ?"),
        max_length=COMPLAINT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

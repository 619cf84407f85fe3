"""The review form: its limits are the model's (rating, title, body)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from galerie.reviews.models import BODY_MAX, BODY_MIN, RATING_MAX, RATING_MIN, TITLE_MAX


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Note sur 5"),
        coerce=int,
        choices=[(n, f"{n} / {RATING_MAX}") for n in range(RATING_MAX, RATING_MIN - 1, -1)],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Titre"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Votre avis"),
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

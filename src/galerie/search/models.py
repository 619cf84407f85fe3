"""Search synonyms: expressions that shoppers use for the same thing, edited in the back office."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core.models import TimeStampedModel
from galerie.search.terms import Phrase, folded_terms

MAX_SYNONYM_CHARS = 500


def synonym_phrases(text: str) -> tuple[Phrase, ...]:
    """The distinct expressions of a comma-separated list, as folded words ("PC portable,
    ordinateur portable" → (("pc", "portable"), ("ordinateur", "portable")))."""
    phrases: dict[Phrase, None] = {}
    for part in text.split(","):
        words = tuple(folded_terms(part))
        if words:
            phrases.setdefault(words, None)
    return tuple(phrases)


class SearchSynonym(TimeStampedModel):
    """A set of equivalent expressions: a search holding one of them also finds the others."""

    terms = models.CharField(
        _("expressions équivalentes"),
        max_length=MAX_SYNONYM_CHARS,
        help_text=_(
            "Au moins deux expressions séparées par des virgules, par exemple : "
            "pc portable, ordinateur portable. Majuscules, accents et ligatures sont ignorés."
        ),
    )

    class Meta:
        verbose_name = _("synonyme de recherche")
        verbose_name_plural = _("synonymes de recherche")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    def clean(self):
        super().clean()
        if len(synonym_phrases(self.terms or "")) < 2:
            raise ValidationError(
                {
                    "terms": _(
                        "Indiquez au moins deux expressions différentes, séparées par une virgule."
                    )
                }
            )

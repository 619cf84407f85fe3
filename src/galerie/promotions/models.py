"""Promotions: a reduction over a date range on a storefront, a category, a seller or one offer.

While a promotion is active the offer's price *is* the reduced price (sellers.Offer.regular_price
keeps the one to restore): carts, checkout, invoices and the ledger see an ordinary price.
`services.promotions_apply` sets and restores those prices.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core import clock
from galerie.core.models import TimeStampedModel
from galerie.core.money import MONEY_FIELD


class ReductionKind(models.TextChoices):
    PERCENT = "percent", _("pourcentage")
    AMOUNT = "amount", _("montant fixe")


class Promotion(TimeStampedModel):
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type de réduction"), max_length=8, choices=ReductionKind.choices)
    value = models.DecimalField(
        _("valeur"), help_text=_("Pourcentage (1 à 99) ou montant TTC en euros."), **MONEY_FIELD
    )
    starts_at = clock.DateTimeField(_("début"))
    ends_at = clock.DateTimeField(_("fin (exclue)"))
    # Scope: every field set must match (at least one is set).
    storefront = models.ForeignKey(
        "storefronts.Storefront",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vitrine"),
    )
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("catégorie"),
        help_text=_("Sous-catégories comprises."),
    )
    seller = models.ForeignKey(
        "sellers.Seller",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vendeur"),
    )
    offer = models.ForeignKey(
        "sellers.Offer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offre"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="promotion_dates")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(storefront__isnull=False)
                | models.Q(category__isnull=False)
                | models.Q(seller__isnull=False)
                | models.Q(offer__isnull=False),
                name="promotion_has_scope",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="promotion_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gt=0)
                & (~models.Q(kind="percent") | models.Q(value__lt=100)),
                name="promotion_value_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

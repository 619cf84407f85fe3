"""Promotions: a reduction over a date range on a storefront, a category, a seller or one offer.

While a promotion is active the offer's price *is* the reduced price (sellers.Offer.regular_price
keeps the one to restore): carts, checkout, invoices and the ledger see an ordinary price.
`services.promotions_apply` sets and restores those prices.
"""

from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from galerie.core import clock
from galerie.core.models import TimeStampedModel
from galerie.core.money import MONEY_FIELD

VOUCHER_CODE_MAX = 32


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


class Voucher(TimeStampedModel):
    """A code a shopper enters in the cart. Issued by the operator (no seller) or by one seller:
    a seller's voucher discounts only that seller's lines (it reduces its sale); the operator's
    discounts only the operator's own lines for now (see docs/consumer-law.md)."""

    code = models.CharField(
        _("code"), max_length=VOUCHER_CODE_MAX, help_text=_("Sans distinction de majuscules.")
    )
    kind = models.CharField(_("type de réduction"), max_length=8, choices=ReductionKind.choices)
    value = models.DecimalField(
        _("valeur"), help_text=_("Pourcentage (1 à 99) ou montant TTC en euros."), **MONEY_FIELD
    )
    min_basket = models.DecimalField(
        _("panier minimum TTC"),
        null=True,
        blank=True,
        help_text=_("Des articles concernés par le bon, hors frais de port."),
        **MONEY_FIELD,
    )
    starts_at = clock.DateTimeField(_("valable à partir du"))
    ends_at = clock.DateTimeField(_("valable jusqu'au (exclu)"))
    seller = models.ForeignKey(
        "sellers.Seller",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vendeur émetteur"),
        help_text=_("Vide : bon de l'opérateur."),
    )
    storefront = models.ForeignKey(
        "storefronts.Storefront",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vitrine"),
        help_text=_("Vide : toutes les vitrines."),
    )
    max_uses = models.PositiveIntegerField(_("utilisations au plus"), null=True, blank=True)
    max_uses_per_customer = models.PositiveIntegerField(
        _("utilisations par client au plus"), null=True, blank=True
    )
    # Counted under the voucher's row lock by `voucher_redeem`; the constraint backs it.
    uses = models.PositiveIntegerField(_("utilisations"), default=0, editable=False)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("bon d'achat")
        verbose_name_plural = _("bons d'achat")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.UniqueConstraint(Upper("code"), name="voucher_code_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="voucher_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gt=0)
                & (~models.Q(kind="percent") | models.Q(value__lt=100)),
                name="voucher_value_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(max_uses__isnull=True)
                | models.Q(uses__lte=models.F("max_uses")),
                name="voucher_uses_within_max",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class VoucherRedemption(models.Model):
    """One use of a voucher by one order, written with the order under the voucher's lock."""

    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("bon")
    )
    order = models.OneToOneField(
        "orders.Order",
        on_delete=models.CASCADE,
        related_name="voucher_redemption",
        verbose_name=_("commande"),
    )
    email = models.EmailField(_("client (e-mail)"))
    amount = models.DecimalField(_("remise TTC"), **MONEY_FIELD)
    created_at = clock.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("utilisation de bon d'achat")
        verbose_name_plural = _("utilisations de bons d'achat")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["voucher", "email"], name="voucher_redemption_email")]

    def __str__(self) -> str:
        return f"{self.voucher} → {self.order_id}"

"""Pricing data: effective-dated VAT rates per tax class and each seller's delivery methods."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.catalog.models import TaxClass
from galerie.core.bounds import bounds_constraint, bounds_validators
from galerie.core.money import MONEY_FIELD
from galerie.pricing.limits import DELIVERY_BOUNDS, TAX_RATE_BOUNDS


def _delivery(name: str) -> list:
    return bounds_validators(DELIVERY_BOUNDS, name)


class TaxRate(models.Model):
    """A VAT rate valid from a date until the next row of the same class takes over."""

    tax_class = models.CharField(_("classe de TVA"), max_length=20, choices=TaxClass.choices)
    rate = models.DecimalField(
        _("taux (%)"),
        max_digits=5,
        decimal_places=2,
        validators=bounds_validators(TAX_RATE_BOUNDS, "rate"),
    )
    valid_from = models.DateField(_("en vigueur à partir du"))

    class Meta:
        verbose_name = _("taux de TVA")
        verbose_name_plural = _("taux de TVA")
        ordering = ["tax_class", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["tax_class", "valid_from"], name="taxrate_class_from"),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0) & models.Q(rate__lt=100), name="taxrate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tax_class_display()} : {self.rate} % depuis le {self.valid_from}"


class VatExemption(models.TextChoices):
    """Why a sale line carries no VAT (stored on the order line, shown wherever its VAT is)."""

    PRIVATE_SALE = "private_sale", _("TVA non applicable (vente entre particuliers)")
    # CGI art. 266-1-e and 306 ff: a travel agent selling in its own name owes VAT on its margin
    # only; the customer's documents show no VAT, only this mention (art. 242 nonies A).
    TRAVEL_MARGIN = "travel_margin", _("Régime particulier – Agences de voyages")


class DeliveryKind(models.TextChoices):
    FLAT = "flat", _("forfait")
    WEIGHT = "weight", _("au poids")
    FREE_ABOVE = "free_above", _("offerte au-delà d'un montant")
    PICKUP = "pickup", _("retrait en magasin")


class DeliveryMethod(models.Model):
    seller = models.ForeignKey(
        "sellers.Seller",
        on_delete=models.CASCADE,
        related_name="delivery_methods",
        verbose_name=_("vendeur"),
    )
    name = models.CharField(_("nom"), max_length=100)
    kind = models.CharField(
        _("mode de calcul"), max_length=12, choices=DeliveryKind.choices, default=DeliveryKind.FLAT
    )
    fee = models.DecimalField(_("frais TTC"), default=0, validators=_delivery("fee"), **MONEY_FIELD)
    fee_per_kg = models.DecimalField(
        _("frais par kg TTC"), default=0, validators=_delivery("fee_per_kg"), **MONEY_FIELD
    )
    free_above = models.DecimalField(
        _("offerte à partir de (TTC)"),
        null=True,
        blank=True,
        validators=_delivery("free_above"),
        **MONEY_FIELD,
    )
    delivery_days_min = models.PositiveSmallIntegerField(
        _("délai de livraison min (jours)"), default=2, validators=_delivery("delivery_days_min")
    )
    delivery_days_max = models.PositiveSmallIntegerField(
        _("délai de livraison max (jours)"), default=5, validators=_delivery("delivery_days_max")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, validators=_delivery("position")
    )
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("mode de livraison")
        verbose_name_plural = _("modes de livraison")
        ordering = ["seller", "position", "pk"]
        constraints = [
            *(
                bounds_constraint(
                    DELIVERY_BOUNDS,
                    name,
                    constraint=f"deliverymethod_{name}_range",
                    nullable=name == "free_above",
                )
                for name in DELIVERY_BOUNDS
            ),
            models.CheckConstraint(
                condition=models.Q(delivery_days_max__gte=models.F("delivery_days_min")),
                name="delivery_days_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seller} · {self.name}"

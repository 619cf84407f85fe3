"""Fixed costs that finance enters per storefront and month (staff, marketing, hosting, rent).

A cost is posted to the ledger when it is recorded and never changes afterwards: a mistake is
corrected by a reversal — a second row with the opposite amount, whose entry mirrors the first.
The sum of the rows of a storefront and month is therefore what its ledger accounts say.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from galerie.core import clock
from galerie.core.bounds import bounds_constraint, bounds_validators
from galerie.core.errors import DomainError
from galerie.core.money import MONEY_FIELD
from galerie.reporting.chart import FixedCostKind

# 100 M€ a month: anything above is a typing error. A reversal row carries the opposite amount.
FIXED_COST_AMOUNT_MAX = Decimal("100000000.00")
COST_BOUNDS = {
    "amount": (-FIXED_COST_AMOUNT_MAX, FIXED_COST_AMOUNT_MAX),
    "vat": (-FIXED_COST_AMOUNT_MAX, FIXED_COST_AMOUNT_MAX),
}
# A simulation run (`galerie simulate`): read by the model and by `simulate`.
# Any seed an integer column holds on every database; the scale is stored to the cent.
RUN_BOUNDS = {
    "seed": (-(2**31), 2**31 - 1),
    "months": (1, 36),
    "scale": (Decimal("0.00"), Decimal("50.00")),
}


class FixedCostError(DomainError):
    code = "fixed_cost_invalid"


class FixedCost(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    storefront = models.ForeignKey(
        "storefronts.Storefront",
        on_delete=models.PROTECT,
        related_name="fixed_costs",
        verbose_name=_("boutique"),
    )
    month = models.DateField(_("mois"), help_text=_("Premier jour du mois concerné."))
    kind = models.CharField(_("nature"), max_length=12, choices=FixedCostKind.choices)
    # Excl. VAT; negative only on a reversal row.
    amount = models.DecimalField(
        _("montant HT"), validators=bounds_validators(COST_BOUNDS, "amount"), **MONEY_FIELD
    )
    vat = models.DecimalField(
        _("TVA déductible"),
        default=0,
        validators=bounds_validators(COST_BOUNDS, "vat"),
        **MONEY_FIELD,
    )
    label = models.CharField(_("libellé"), max_length=150)
    entry = models.OneToOneField(
        "ledger.JournalEntry",
        on_delete=models.PROTECT,
        related_name="fixed_cost",
        verbose_name=_("écriture"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name=_("annule le coût"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    created_at = clock.DateTimeField(_("saisi le"), auto_now_add=True)

    class Meta:
        verbose_name = _("coût fixe")
        verbose_name_plural = _("coûts fixes")
        ordering = ["-month", "storefront_id", "kind", "pk"]
        indexes = [models.Index(fields=["storefront", "month"], name="fixedcost_storefront_month")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0)
                | Q(reverses__isnull=False, amount__lt=0),
                name="fixedcost_sign_matches_reversal",
            ),
            bounds_constraint(COST_BOUNDS, "amount", constraint="fixedcost_amount_range"),
            bounds_constraint(COST_BOUNDS, "vat", constraint="fixedcost_vat_range"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.month:%m/%Y})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FixedCostError(
                str(_("Un coût comptabilisé ne se modifie pas : annulez-le puis saisissez-le.")),
                code="fixed_cost_immutable",
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FixedCostError(
            str(
                _("Un coût comptabilisé ne se supprime pas : annulez-le par une contre-passation.")
            ),
            code="fixed_cost_immutable",
        )

    @property
    def is_reversed(self) -> bool:
        return hasattr(self, "reversal")


class SimulationRun(models.Model):
    """One run of `galerie simulate`: makes the demo's year of trading idempotent and visible."""

    seed = models.IntegerField(_("graine"), validators=bounds_validators(RUN_BOUNDS, "seed"))
    months = models.PositiveSmallIntegerField(
        _("mois simulés"), validators=bounds_validators(RUN_BOUNDS, "months")
    )
    scale = models.DecimalField(
        _("échelle"),
        max_digits=6,
        decimal_places=2,
        default=1,
        validators=bounds_validators(RUN_BOUNDS, "scale"),
    )
    started_at = models.DateTimeField(_("lancée le"))
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    orders_placed = models.PositiveIntegerField(_("commandes passées"), default=0)
    simulated_until = models.DateField(_("simulée jusqu'au"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        verbose_name = _("simulation d'activité")
        verbose_name_plural = _("simulations d'activité")
        ordering = ["-started_at"]
        constraints = [
            bounds_constraint(RUN_BOUNDS, name, constraint=f"simulationrun_{name}_range")
            for name in RUN_BOUNDS
        ]

    def __str__(self) -> str:
        return f"simulation {self.months} mois (graine {self.seed})"

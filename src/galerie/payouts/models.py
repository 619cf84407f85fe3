"""Payout runs, one payout per seller per run, and the statement lines that explain each payout.

A seller order is paid out once (unique SALE line); a refund after its payout comes back as an
ADJUSTMENT in the seller's next payout. The holdback kept on a run is released by the seller's
next payout (RELEASE line pointing at the HOLDBACK line it gives back, once).
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from galerie.core.bounds import bounds_constraint, bounds_validators
from galerie.core.models import TimeStampedModel
from galerie.core.money import MONEY_FIELD, format_money

# The holdback kept on a run, a percentage of each seller's net sales: read by the model, the
# run's admin form, the CLI and `payout_run`.
RUN_BOUNDS = {"holdback_percent": (Decimal("0.00"), Decimal("100.00"))}


class PayoutRun(TimeStampedModel):
    """One payout run, idempotent by date: running it again for the same day pays nobody twice."""

    as_of = models.DateField(_("date du versement"), unique=True)
    holdback_percent = models.DecimalField(
        _("retenue de garantie (%)"),
        max_digits=5,
        decimal_places=2,
        validators=bounds_validators(RUN_BOUNDS, "holdback_percent"),
    )
    completed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    notes = models.TextField(_("vendeurs non payés et pourquoi"), blank=True)

    class Meta:
        verbose_name = _("campagne de versements")
        verbose_name_plural = _("campagnes de versements")
        ordering = ["-as_of"]
        constraints = [
            bounds_constraint(RUN_BOUNDS, "holdback_percent", constraint="payoutrun_holdback_range")
        ]

    def __str__(self) -> str:
        return str(_("Versements du %(date)s") % {"date": f"{self.as_of:%d/%m/%Y}"})


class Payout(TimeStampedModel):
    run = models.ForeignKey(
        PayoutRun, on_delete=models.PROTECT, related_name="payouts", verbose_name=_("campagne")
    )
    seller = models.ForeignKey(
        "sellers.Seller",
        on_delete=models.PROTECT,
        related_name="payouts",
        verbose_name=_("vendeur"),
    )
    # Snapshots: the statement and the SEPA file show what was paid to which account.
    seller_name = models.CharField(_("bénéficiaire"), max_length=200)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    amount = models.DecimalField(_("montant versé"), **MONEY_FIELD)

    class Meta:
        verbose_name = _("versement")
        verbose_name_plural = _("versements")
        ordering = ["-run__as_of", "seller_name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "seller"], name="payout_one_per_seller_per_run"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.seller_name} {format_money(self.amount)}"

    @property
    def reference(self) -> str:
        return f"VER{self.pk:07d}" if self.pk else "VER-"


class StatementKind(models.TextChoices):
    SALE = "sale", _("commande livrée")
    ADJUSTMENT = "adjustment", _("remboursement après versement")
    HOLDBACK = "holdback", _("retenue de garantie")
    RELEASE = "release", _("libération de retenue")


class StatementLine(models.Model):
    """One line of a payout's statement. For a seller order: its sales incl. VAT (goods and
    delivery), the commission kept (net of commission given back), what was refunded to the
    customer, and the net paid = sales − commission − refunded."""

    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField(_("nature"), max_length=10, choices=StatementKind.choices)
    seller_order = models.ForeignKey(
        "orders.SellerOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement_lines",
    )
    releases = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="released_by"
    )
    label = models.CharField(_("libellé"), max_length=200)
    sales = models.DecimalField(_("ventes TTC"), default=0, **MONEY_FIELD)
    commission = models.DecimalField(_("commission TTC"), default=0, **MONEY_FIELD)
    refunded = models.DecimalField(_("remboursé"), default=0, **MONEY_FIELD)
    amount = models.DecimalField(_("net"), **MONEY_FIELD)

    class Meta:
        verbose_name = _("ligne de relevé")
        verbose_name_plural = _("lignes de relevé")
        ordering = ["payout", "pk"]
        constraints = [
            # A seller order is paid out once, whatever the run.
            models.UniqueConstraint(
                fields=["seller_order"],
                condition=Q(kind="sale"),
                name="statement_seller_order_paid_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {format_money(self.amount)}"

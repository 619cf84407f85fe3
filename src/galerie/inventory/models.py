"""Stock movements: every change of an offer's stock, with its reason and reference.

Scheme: `Offer.stock` is the stock still available to sell. Placing an order reserves
(stock − qty); payment failure, cancellation and expiry release (stock + qty); shipping makes
the reservation definitive (a zero-delta movement); a seller or operator adjusts by hand.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core import clock


class MovementKind(models.TextChoices):
    RESERVE = "reserve", _("réservation")
    RELEASE = "release", _("libération")
    SHIP = "ship", _("expédition")
    CANCEL = "cancel", _("annulation")
    ADJUST = "adjust", _("ajustement")


class StockMovement(models.Model):
    offer = models.ForeignKey(
        "sellers.Offer", on_delete=models.CASCADE, related_name="stock_movements"
    )
    kind = models.CharField(_("nature"), max_length=10, choices=MovementKind.choices)
    delta = models.IntegerField(_("variation du stock disponible"))
    quantity = models.PositiveIntegerField(_("quantité"))
    stock_after = models.IntegerField(_("stock après"), null=True, blank=True)
    reason = models.CharField(_("motif"), max_length=200)
    reference = models.CharField(_("référence"), max_length=64, blank=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = clock.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("mouvement de stock")
        verbose_name_plural = _("mouvements de stock")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["offer", "created_at"], name="stockmove_offer_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.delta:+d} · offre {self.offer_id}"

"""Returns: a customer's withdrawal (rétractation, 14 days) or legal-guarantee claim (garantie
légale de conformité, 2 years) on one order line, followed by its seller up to the outcome.

The rules (periods, exceptions, quantities, refunds) live in returns.services; the model keeps
what was asked and decided, and the constraints that no service may break.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core import clock
from galerie.core.models import TimeStampedModel


class ReturnKind(models.TextChoices):
    WITHDRAWAL = "withdrawal", _("rétractation")
    CONFORMITY = "conformity", _("garantie de conformité")


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("demandé")
    RECEIVED = "received", _("article reçu")
    REFUNDED = "refunded", _("remboursé")
    REFUSED = "refused", _("refusé")
    REPAIRED = "repaired", _("réparé")
    REPLACED = "replaced", _("remplacé")


# Still waiting for the seller (or the operator): the refund is due, the claim unanswered.
OPEN_STATUSES = (ReturnStatus.REQUESTED, ReturnStatus.RECEIVED)


class ReturnRequest(TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("nature"), max_length=12, choices=ReturnKind.choices)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="returns", verbose_name=_("commande")
    )
    seller_order = models.ForeignKey(
        "orders.SellerOrder",
        on_delete=models.CASCADE,
        related_name="returns",
        verbose_name=_("sous-commande vendeur"),
    )
    line = models.ForeignKey(
        "orders.OrderLine",
        on_delete=models.CASCADE,
        related_name="returns",
        verbose_name=_("ligne de commande"),
    )
    quantity = models.PositiveIntegerField(_("quantité"))
    reason = models.TextField(_("motif"), max_length=2000, blank=True)
    # Sealed audio, video or software only: what the customer stated on the form.
    seal_intact = models.BooleanField(_("scellé intact"), null=True, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=ReturnStatus.choices,
        default=ReturnStatus.REQUESTED,
        db_index=True,
    )
    requested_at = clock.DateTimeField(_("demandé le"), default=clock.now)
    # Withdrawal: the refund is due within 14 days of the request (L221-24).
    refund_due_at = models.DateTimeField(_("remboursement dû le"), null=True, blank=True)
    # Conformity: until when a defect is presumed to have existed at delivery (L217-7), and
    # whether the claim was made within it.
    presumption_until = models.DateField(_("présomption jusqu'au"), null=True, blank=True)
    presumption_applies = models.BooleanField(_("présomption applicable"), default=False)
    received_at = models.DateTimeField(_("reçu le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    outcome_note = models.CharField(_("note de décision"), max_length=500, blank=True)
    refund = models.ForeignKey(
        "payments.Refund",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("remboursement"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    mediated = models.BooleanField(_("médiation de l'opérateur"), default=False)
    # The form's one-time key: a second submission of the same form finds the first request.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("demande de retour")
        verbose_name_plural = _("demandes de retour")
        ordering = ["-requested_at", "-pk"]
        # The operator steps in between customer and seller (refund, repair, replacement).
        permissions = [("mediate", _("Peut décider d'un retour en médiateur"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="return_quantity_pos"),
            models.CheckConstraint(
                condition=models.Q(kind="withdrawal") | models.Q(refund_due_at__isnull=True),
                name="return_due_withdrawal_only",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} × {self.line.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

"""Payments and refunds of orders, and the webhook events already processed.

No card data is ever stored here: the card number is typed on the (simulated) provider's hosted
page and only the provider's reference comes back. `SimulatedCharge` is the simulated provider's
own bookkeeping, standing in for the provider's database.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core import clock
from galerie.core.models import TimeStampedModel
from galerie.core.money import MONEY_FIELD


class PaymentMethod(models.TextChoices):
    CARD = "card", _("carte bancaire")
    TRANSFER = "transfer", _("virement bancaire")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    REQUIRES_ACTION = "requires_action", _("authentification 3-D Secure")
    CAPTURED = "captured", _("encaissé")
    FAILED = "failed", _("refusé")
    VOIDED = "voided", _("annulé")


class Payment(TimeStampedModel):
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("commande"),
    )
    method = models.CharField(_("moyen"), max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(
        _("statut"), max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    amount = models.DecimalField(_("montant TTC"), **MONEY_FIELD)
    refunded_amount = models.DecimalField(_("remboursé"), default=0, **MONEY_FIELD)
    provider_ref = models.CharField(_("référence prestataire"), max_length=64, unique=True)
    bank_reference = models.CharField(_("référence de virement"), max_length=20, blank=True)
    failure_code = models.CharField(_("motif du refus"), max_length=40, blank=True)
    captured_at = models.DateTimeField(_("encaissé le"), null=True, blank=True)
    # Merchant-initiated charges on a saved card (subscription renewals): the caller's key makes
    # a re-run return this payment instead of charging again.
    saved_card = models.ForeignKey(
        "payments.SavedCard",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("carte enregistrée"),
    )
    idempotency_key = models.CharField(max_length=128, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["-created_at", "-pk"]
        # Marking a transfer received pays the order and posts it to the ledger: finance only.
        permissions = [("confirm_transfer", _("Peut confirmer la réception d'un virement"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refunded_amount__lte=models.F("amount")),
                name="payment_refund_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} € ({self.get_status_display()})"


class RefundStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("remboursé")
    MANUAL = "manual", _("virement de remboursement à émettre")


class Refund(models.Model):
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="refunds", verbose_name=_("commande")
    )
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("montant"), **MONEY_FIELD)
    status = models.CharField(_("statut"), max_length=10, choices=RefundStatus.choices)
    idempotency_key = models.CharField(max_length=128, unique=True)
    request_hash = models.CharField(max_length=64)
    lines = models.JSONField(null=True, blank=True)
    reason = models.CharField(_("motif"), max_length=200, blank=True)
    provider_ref = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = clock.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount} € ({self.get_status_display()})"


class WebhookEvent(models.Model):
    """A provider event already handled: replays with the same id are ignored."""

    event_id = models.CharField(max_length=64, unique=True)
    type = models.CharField(max_length=40)
    payload = models.JSONField()
    received_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("événement prestataire")
        verbose_name_plural = _("événements prestataire")

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class SimulatedCard(TimeStampedModel):
    """A card the simulated provider keeps for merchant-initiated charges (the customer
    consented on its hosted page). Like a sandbox it keeps the test card's behaviour, never the
    number: `mit_behaviour` is what its merchant-initiated charges answer (gateways.MIT_CARDS)."""

    token = models.CharField(max_length=64, unique=True)
    brand = models.CharField(max_length=20)
    last4 = models.CharField(max_length=4)
    exp_month = models.PositiveSmallIntegerField()
    exp_year = models.PositiveSmallIntegerField()
    mit_behaviour = models.CharField(max_length=40, default="succeeded")

    class Meta:
        verbose_name = _("carte conservée par le prestataire simulé")
        verbose_name_plural = _("cartes conservées par le prestataire simulé")

    def __str__(self) -> str:
        return f"{self.token} •••• {self.last4}"


class SimulatedCharge(TimeStampedModel):
    """The simulated card provider's own record of a checkout session or of a merchant-initiated
    charge on a kept card (never card data)."""

    token = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(**MONEY_FIELD)
    refunded = models.DecimalField(default=0, **MONEY_FIELD)
    status = models.CharField(
        max_length=16, default="open"
    )  # open, challenge, succeeded, failed, voided
    decline_code = models.CharField(max_length=40, blank=True)
    merchant_label = models.CharField(max_length=200)
    return_url = models.CharField(max_length=500)
    # Checkout session: the merchant named here asks to keep the card for later charges (the
    # hosted page then asks for the expiry and the customer's consent); blank: not kept.
    save_card_for = models.CharField(max_length=200, blank=True)
    # The kept card: created by the session when the customer consented, or charged by a
    # merchant-initiated charge (which then has an idempotency key and the merchant's reference).
    card = models.ForeignKey(
        SimulatedCard, null=True, blank=True, on_delete=models.PROTECT, related_name="charges"
    )
    idempotency_key = models.CharField(max_length=128, null=True, blank=True, unique=True)
    mit_reference = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("transaction du prestataire simulé")
        verbose_name_plural = _("transactions du prestataire simulé")

    def __str__(self) -> str:
        return f"{self.token} {self.status}"


class SavedCard(TimeStampedModel):
    """A card the customer let the provider keep for merchant-initiated charges (subscription
    renewals): the provider's reference, the brand, the last four digits and the expiry only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="saved_cards",
    )
    email = models.EmailField(_("e-mail"))
    provider_ref = models.CharField(_("référence prestataire"), max_length=64, unique=True)
    brand = models.CharField(_("réseau"), max_length=20, blank=True)
    last4 = models.CharField(_("4 derniers chiffres"), max_length=4)
    exp_month = models.PositiveSmallIntegerField(_("mois d'expiration"))
    exp_year = models.PositiveSmallIntegerField(_("année d'expiration"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("carte enregistrée")
        verbose_name_plural = _("cartes enregistrées")

    def __str__(self) -> str:
        return f"•••• {self.last4} ({self.exp_month:02d}/{self.exp_year})"

"""Press subscriptions: the plan an offer sells, the customer's subscription, its paid terms and
one fulfilment per issue.

A plan is an `Offer` extension: the offer's price is the price of one term. Each term is paid by
an order line (the first by the shopper's checkout, the next ones by renewal orders charged on
the saved card); issues are scheduled for a term only once that term is paid, so no issue is
ever served unpaid.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core import clock
from galerie.core.models import TimeStampedModel


class Medium(models.TextChoices):
    PRINT = "print", _("papier")
    DIGITAL = "digital", _("numérique")


class TermMonths(models.IntegerChoices):
    THREE = 3, _("3 mois")
    SIX = 6, _("6 mois")
    TWELVE = 12, _("12 mois")


class SubscriptionPlan(models.Model):
    offer = models.OneToOneField(
        "sellers.Offer",
        on_delete=models.CASCADE,
        related_name="subscription_plan",
        verbose_name=_("offre"),
    )
    publication = models.CharField(_("titre de presse"), max_length=200)
    issues_per_year = models.PositiveSmallIntegerField(_("numéros par an"))
    term_months = models.PositiveSmallIntegerField(_("durée"), choices=TermMonths.choices)
    first_issue_on = models.DateField(_("date du premier numéro"))
    medium = models.CharField(_("support"), max_length=8, choices=Medium.choices)

    class Meta:
        verbose_name = _("formule d'abonnement")
        verbose_name_plural = _("formules d'abonnement")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(issues_per_year__gte=1) & models.Q(issues_per_year__lte=366),
                name="plan_issues_per_year",
            ),
            models.CheckConstraint(
                condition=models.Q(term_months__in=[3, 6, 12]), name="plan_term_months"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication} — {self.get_term_months_display()}"


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("en attente de paiement")
    ACTIVE = "active", _("en cours")
    TERMINATING = "terminating", _("résilié, servi jusqu'à la fin de la période payée")
    ENDED = "ended", _("terminé")
    CANCELLED = "cancelled", _("annulé")


class Subscription(TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        SubscriptionPlan, on_delete=models.PROTECT, related_name="subscriptions"
    )
    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="subscriptions"
    )
    storefront = models.ForeignKey(
        "storefronts.Storefront", on_delete=models.PROTECT, related_name="subscriptions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscriptions",
    )
    email = models.EmailField(_("e-mail"))
    delivery_address = models.JSONField(_("adresse de livraison"))
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.PENDING,
        db_index=True,
    )
    starts_on = models.DateField(_("début"))
    # Last day covered by a paid term (inclusive); the next term starts the day after.
    ends_on = models.DateField(_("fin de la période payée"), db_index=True)
    auto_renew = models.BooleanField(_("reconduction tacite"), default=False)
    # The provider's reference of the card saved for merchant-initiated renewals (payments app).
    saved_card = models.ForeignKey(
        "payments.SavedCard",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscriptions",
    )
    renewal_notice_for = models.DateField(
        _("avis de reconduction envoyé pour l'échéance du"), null=True, blank=True
    )
    # Loi Chatel (Code de la consommation, art. L215-1, al. 2): a notice sent after the window
    # closed (less than a month before the term's end) is recorded with that term's end; for the
    # term that follows, the customer may terminate at any time, free of charge.
    renewal_notice_late_for = models.DateField(
        _("avis de reconduction envoyé en retard pour l'échéance du"), null=True, blank=True
    )
    terminated_at = models.DateTimeField(_("résilié le"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("rétractation le"), null=True, blank=True)
    ended_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        ordering = ["-created_at", "-pk"]
        # The back office's « Résilier » action (Service client), as the customer's three clicks.
        permissions = [("terminate", _("Peut résilier un abonnement"))]
        indexes = [
            models.Index(fields=["status", "ends_on"], name="subscription_due"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.publication} · {self.email}"


class TermStatus(models.TextChoices):
    PENDING = "pending", _("en attente de paiement")
    PAID = "paid", _("payée")
    FAILED = "failed", _("impayée")
    REFUNDED = "refunded", _("remboursée")


class SubscriptionTerm(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveIntegerField(_("période n°"))
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    order_line = models.OneToOneField(
        "orders.OrderLine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscription_term",
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=TermStatus.choices, default=TermStatus.PENDING
    )

    class Meta:
        verbose_name = _("période d'abonnement")
        verbose_name_plural = _("périodes d'abonnement")
        ordering = ["subscription", "number"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "number"], name="term_number"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription} #{self.number}"


class FulfilmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("à expédier")
    SHIPPED = "shipped", _("expédié")
    CANCELLED = "cancelled", _("annulé")


class IssueFulfilment(models.Model):
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="fulfilments"
    )
    term = models.ForeignKey(SubscriptionTerm, on_delete=models.CASCADE, related_name="fulfilments")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    issue_date = models.DateField(_("date du numéro"))
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=FulfilmentStatus.choices,
        default=FulfilmentStatus.SCHEDULED,
    )
    shipped_at = models.DateTimeField(_("expédié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("numéro à servir")
        verbose_name_plural = _("numéros à servir")
        ordering = ["issue_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "issue_date"], name="fulfilment_one_per_issue"
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "status", "issue_date"], name="fulfilment_to_ship"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription} — {self.issue_date}"


class AttemptOutcome(models.TextChoices):
    SUCCEEDED = "succeeded", _("acceptée")
    SOFT_DECLINED = "soft_declined", _("refus temporaire")
    HARD_DECLINED = "hard_declined", _("refus définitif")
    CARD_EXPIRED = "card_expired", _("carte expirée")
    NO_CARD = "no_card", _("pas de carte enregistrée")


class RenewalAttempt(models.Model):
    """One merchant-initiated charge for a renewal term; (term, number) makes a re-run of the
    same attempt a no-op instead of a second charge."""

    term = models.ForeignKey(SubscriptionTerm, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("tentative n°"))
    outcome = models.CharField(_("résultat"), max_length=14, choices=AttemptOutcome.choices)
    code = models.CharField(_("code"), max_length=40, blank=True)
    created_at = clock.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("tentative de prélèvement")
        verbose_name_plural = _("tentatives de prélèvement")
        ordering = ["term", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="attempt_number"),
        ]

    def __str__(self) -> str:
        return f"{self.term} · {self.number} · {self.outcome}"

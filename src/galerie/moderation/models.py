"""Notice and action under the Digital Services Act: a visitor's notice of illegal content (art.
16), the operator's decisions with their statement of reasons (art. 17), the seller's internal
complaint (art. 20), and the buyers told of an unsafe product's withdrawal (GPSR art. 36).

A decision concerns one seller at most (the one its statement of reasons is sent to): withdrawing
a product offered by three sellers is three decisions, each appealed and reversed on its own.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core import clock
from galerie.core.models import TimeStampedModel
from galerie.moderation.limits import (
    COMPLAINT_MAX,
    EXPLANATION_MAX,
    FACTS_MAX,
    GROUND_MAX,
    NAME_MAX,
)


class NoticeCategory(models.TextChoices):
    COUNTERFEIT = "counterfeit", _("Contrefaçon")
    UNSAFE = "unsafe", _("Produit dangereux")
    ILLEGAL_CONTENT = "illegal_content", _("Contenu illicite")
    CONSUMER_LAW = "consumer_law", _("Infraction au droit de la consommation")
    IP = "ip", _("Atteinte à la propriété intellectuelle")
    # DSA art. 16(2)(c): a notice of child sexual abuse material may be anonymous.
    CHILD_ABUSE = "child_abuse", _("Abus sexuel sur mineur")
    OTHER = "other", _("Autre")


# Categories whose reporter may stay anonymous (DSA art. 16(2)(c)).
ANONYMOUS_CATEGORIES = frozenset({NoticeCategory.CHILD_ABUSE})


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("à traiter")
    DECIDED = "decided", _("décidé")


class Notice(TimeStampedModel):
    storefront = models.ForeignKey(
        "storefronts.Storefront",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("boutique"),
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("produit")
    )
    offer = models.ForeignKey(
        "sellers.Offer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("offre"),
    )
    category = models.CharField(_("catégorie"), max_length=20, choices=NoticeCategory.choices)
    explanation = models.TextField(
        _("explication"), validators=[MaxLengthValidator(EXPLANATION_MAX)]
    )
    reporter_name = models.CharField(_("nom du signalant"), max_length=NAME_MAX, blank=True)
    reporter_email = models.EmailField(_("e-mail du signalant"), blank=True)
    good_faith = models.BooleanField(_("déclaration de bonne foi"), default=False)
    status = models.CharField(
        _("statut"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at", "-pk"]
        permissions = [("decide", _("Peut décider des suites d'un signalement (DSA art. 17)"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(good_faith=True), name="notice_good_faith"),
            models.CheckConstraint(
                condition=models.Q(category="child_abuse") | ~models.Q(reporter_email=""),
                name="notice_reporter_identified",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"SIG-{self.pk:06d}" if self.pk else "SIG-"


class DecisionKind(models.TextChoices):
    NO_ACTION = "no_action", _("Aucune mesure")
    WITHDRAW_OFFER = "withdraw_offer", _("Retrait de l'offre")
    WITHDRAW_PRODUCT = "withdraw_product", _("Retrait du produit (toutes ses offres)")
    WITHDRAW_UNSAFE = "withdraw_unsafe", _("Retrait du produit dangereux et rappel des acheteurs")
    SUSPEND_SELLER = "suspend_seller", _("Suspension du vendeur")


# Decisions that restrict a seller: a statement of reasons is due, and a complaint is open to it.
RESTRICTIONS = frozenset(
    {
        DecisionKind.WITHDRAW_OFFER,
        DecisionKind.WITHDRAW_PRODUCT,
        DecisionKind.WITHDRAW_UNSAFE,
        DecisionKind.SUSPEND_SELLER,
    }
)


class GroundKind(models.TextChoices):
    LEGAL = "legal", _("Contenu illicite (fondement légal)")
    CONTRACTUAL = "contractual", _("Contraire aux conditions générales (fondement contractuel)")


class Decision(TimeStampedModel):
    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("signalement")
    )
    kind = models.CharField(_("décision"), max_length=20, choices=DecisionKind.choices)
    seller = models.ForeignKey(
        "sellers.Seller",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vendeur concerné"),
    )
    # The statement of reasons (DSA art. 17(3)).
    facts = models.TextField(
        _("faits et circonstances"), validators=[MaxLengthValidator(FACTS_MAX)]
    )
    ground_kind = models.CharField(_("fondement"), max_length=12, choices=GroundKind.choices)
    ground = models.CharField(
        _("disposition légale ou clause des conditions"),
        max_length=GROUND_MAX,
        validators=[MaxLengthValidator(GROUND_MAX)],
    )
    automated = models.BooleanField(_("moyens automatisés utilisés"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    reversed_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("décision de modération")
        verbose_name_plural = _("décisions de modération")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.notice.reference} — {self.get_kind_display()}"

    @property
    def is_restriction(self) -> bool:
        return self.kind in RESTRICTIONS


class DecisionOffer(models.Model):
    """An offer a decision deactivated (active before it): what a reversal re-activates."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="offers")
    offer = models.ForeignKey("sellers.Offer", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "offer"], name="decision_offer_once")
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} → {self.offer_id}"


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("en cours d'examen")
    UPHELD = "upheld", _("décision maintenue")
    REVERSED = "reversed", _("décision annulée")


class Complaint(TimeStampedModel):
    """A seller's internal complaint against a decision (DSA art. 20): one per decision."""

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="complaint", verbose_name=_("décision")
    )
    text = models.TextField(_("réclamation"), validators=[MaxLengthValidator(COMPLAINT_MAX)])
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("déposée par"),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    outcome_reason = models.TextField(
        _("motif de l'issue"), blank=True, validators=[MaxLengthValidator(FACTS_MAX)]
    )
    resolved_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("traitée par"),
    )

    class Meta:
        verbose_name = _("réclamation (DSA art. 20)")
        verbose_name_plural = _("réclamations (DSA art. 20)")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(self.decision)


class RecallNotification(models.Model):
    """One buyer told of an unsafe product's withdrawal (GPSR art. 36): once per notice, however
    many sellers' decisions the withdrawal took and however many times the buyer bought it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recalls")
    email = models.EmailField()
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "email"], name="recall_once_per_buyer")
        ]

    def __str__(self) -> str:
        return self.email

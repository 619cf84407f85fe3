"""Customer reviews of products, from verified purchases only, published after moderation
(Code de la consommation art. L111-7-2: the review policy is shown next to the reviews)."""

from django.conf import settings
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from galerie.core import clock

RATING_MIN, RATING_MAX = 1, 5
TITLE_MAX = 120
BODY_MIN, BODY_MAX = 10, 2000
REASON_MAX = 500


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("en attente de modération")
    PUBLISHED = "published", _("publié")
    REJECTED = "rejected", _("refusé")


class Review(models.Model):
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("produit"),
    )
    # The purchase that makes the review « verified »; kept if the line goes (SET_NULL), since
    # `purchased_on` already holds what is shown.
    order_line = models.ForeignKey(
        "orders.OrderLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ligne de commande"),
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("client"),
    )
    # « Marie C. »: first name and initial, frozen when the review is written.
    author_name = models.CharField(_("signature"), max_length=80)
    rating = models.PositiveSmallIntegerField(
        _("note sur 5"), validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]
    )
    title = models.CharField(_("titre"), max_length=TITLE_MAX)
    body = models.TextField(
        _("avis"), validators=[MinLengthValidator(BODY_MIN), MaxLengthValidator(BODY_MAX)]
    )
    purchased_on = models.DateField(_("acheté le"))
    status = models.CharField(
        _("statut"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    moderation_reason = models.CharField(
        _("motif de modération"), max_length=REASON_MAX, blank=True
    )
    moderated_at = models.DateTimeField(_("modéré le"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modéré par"),
    )
    created_at = clock.DateTimeField(_("déposé le"), auto_now_add=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("avis client")
        verbose_name_plural = _("avis clients")
        ordering = ["-created_at", "-pk"]
        permissions = [("moderate", _("Peut publier ou refuser un avis client"))]
        indexes = [
            models.Index(fields=["product", "status", "published_at"], name="review_product"),
            models.Index(fields=["status", "created_at"], name="review_queue"),
        ]
        constraints = [
            # Once per product and customer (whatever its status: a refused review is not
            # re-submitted to get round moderation).
            models.UniqueConstraint(
                fields=["product", "customer"],
                condition=models.Q(customer__isnull=False),
                name="review_once_per_product",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="review_rating_range",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), BODY_MAX), name="review_body_max"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(moderation_reason=""),
                name="review_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.rating}/5 ({self.author_name})"

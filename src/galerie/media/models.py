"""Product pictures kept by the project: an original file under MEDIA_ROOT and thumbnails named
after its content digest, so a name never changes meaning and is cached for a year.

A feed's `image_link` becomes a pending row, fetched by a background task; a demo product's
picture is drawn on first request from the product itself (`galerie.media.demo`).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from galerie.catalog.models import Product
from galerie.core.models import TimeStampedModel

# Thumbnail widths in pixels (WebP): card, product page, zoom / high-density screens.
THUMBNAIL_WIDTHS = (160, 400, 800)
MIN_WIDTH = THUMBNAIL_WIDTHS[0]


class ImageSource(models.TextChoices):
    UPLOAD = "upload", _("envoyée")
    FEED = "feed", _("flux")
    DEMO = "demo", _("démonstration")


class ImageStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    READY = "ready", _("prête")
    FAILED = "failed", _("échec")


class ProductImage(TimeStampedModel):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("produit")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    alt = models.CharField(
        _("texte alternatif"),
        max_length=250,
        blank=True,
        help_text=_("Ce que montre l'image, lu aux personnes aveugles (par défaut : le titre)."),
    )
    source = models.CharField(
        _("origine"), max_length=10, choices=ImageSource.choices, default=ImageSource.UPLOAD
    )
    source_url = models.URLField(_("adresse d'origine"), max_length=2000, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=ImageStatus.choices, default=ImageStatus.PENDING
    )
    error = models.CharField(_("erreur"), max_length=300, blank=True)
    # SHA-256 of the original file (of the drawing's inputs for a demo picture): names the files.
    digest = models.CharField(_("empreinte"), max_length=64, blank=True, db_index=True)
    # Relative to MEDIA_ROOT; empty for a demo picture (drawn again when needed).
    original = models.CharField(_("fichier original"), max_length=200, blank=True)
    width = models.PositiveIntegerField(_("largeur"), null=True, blank=True)
    height = models.PositiveIntegerField(_("hauteur"), null=True, blank=True)

    class Meta:
        verbose_name = _("image de produit")
        verbose_name_plural = _("images de produit")
        ordering = ["product", "position", "id"]
        indexes = [
            models.Index(fields=["product", "status", "position"], name="productimage_shown"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "digest"],
                condition=~Q(digest=""),
                name="productimage_digest_unique",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ImageStatus.values), name="productimage_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ImageSource.values), name="productimage_source_valid"
            ),
            # Shown only with the files' name and the size the page reserves for it.
            models.CheckConstraint(
                condition=~Q(status=ImageStatus.READY)
                | (~Q(digest="") & Q(width__gte=MIN_WIDTH) & Q(height__gt=0)),
                name="productimage_ready_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} #{self.position} ({self.get_status_display()})"

"""A storefront is one branded site of the mall: its hosts, language, branding, assortment and
legal pages."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from galerie.core import clock
from galerie.core.models import TimeStampedModel

colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Couleur au format #RRGGBB."))


class Storefront(TimeStampedModel):
    slug = models.SlugField(_("identifiant"), unique=True)
    name = models.CharField(_("nom"), max_length=100)
    tagline = models.CharField(_("accroche"), max_length=200, blank=True)
    language = models.CharField(
        _("langue"), max_length=5, default="fr", choices=[("fr", "Français"), ("en", "English")]
    )
    currency = models.CharField(_("devise"), max_length=3, default="EUR", editable=False)
    logo_text = models.CharField(_("texte du logo"), max_length=40)
    primary_color = models.CharField(
        _("couleur principale"), max_length=7, default="#1d3557", validators=[colour]
    )
    accent_color = models.CharField(
        _("couleur d'accent"), max_length=7, default="#e63946", validators=[colour]
    )
    show_out_of_stock = models.BooleanField(
        _("montrer les produits épuisés"),
        default=False,
        help_text=_("Les produits sans offre en stock restent visibles, signalés « épuisé »."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # A storefront sold to another owner (`galerie detach-storefront`): it stays in the books,
    # but it is inactive for good and its pages name the new owner (HTTP 410).
    detached_at = models.DateTimeField(_("cédée le"), null=True, blank=True, editable=False)
    successor_name = models.CharField(_("repreneur"), max_length=200, blank=True, editable=False)
    successor_url = models.URLField(_("site du repreneur"), blank=True, editable=False)
    cutoff_date = models.DateField(
        _("date de coupure de la cession"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Les chiffres de la boutique s'arrêtent à cette date dans le pilotage."),
    )
    # Set when the storefront came from another installation: before this date its ledger holds
    # monthly history entries, and only the orders still open then carry their own entries.
    ledger_detail_from = models.DateField(
        _("comptabilité détaillée depuis"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Boutique reprise : avant cette date, ses écritures sont reprises par mois."),
    )
    categories = models.ManyToManyField(
        "catalog.Category",
        verbose_name=_("assortiment"),
        related_name="storefronts",
        blank=True,
        help_text=_(
            "Catégories racines montrées par la boutique, avec toutes leurs sous-catégories."
        ),
    )

    class Meta:
        verbose_name = _("boutique")
        verbose_name_plural = _("boutiques")
        ordering = ["name"]
        constraints = [
            # A sold storefront never sells again: detached means inactive, with a new owner.
            models.CheckConstraint(
                condition=models.Q(detached_at__isnull=True)
                | (models.Q(is_active=False) & ~models.Q(successor_name="")),
                name="storefront_detached_inactive",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_detached(self) -> bool:
        return self.detached_at is not None

    @property
    def figures_end(self):
        """The last day the storefront's figures count in the group's (its sale's cut-off)."""
        if self.detached_at is None:
            return None
        return self.cutoff_date or timezone.localdate(self.detached_at)


class StorefrontHost(models.Model):
    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="hosts")
    hostname = models.CharField(
        _("nom d'hôte"),
        max_length=253,
        unique=True,
        help_text=_("Sans port, ex. culture.localhost"),
    )
    is_primary = models.BooleanField(_("principal"), default=True)

    class Meta:
        verbose_name = _("nom d'hôte")
        verbose_name_plural = _("noms d'hôte")
        ordering = ["-is_primary", "hostname"]

    def __str__(self) -> str:
        return self.hostname

    def save(self, *args, **kwargs):
        self.hostname = self.hostname.lower().strip()
        super().save(*args, **kwargs)


class StorefrontPageKind(models.TextChoices):
    """The trust pages a storefront publishes, in the footer's order; the value is the page's
    French URL slug (and its key in storefront archives: never rename one)."""

    LEGAL_NOTICE = "mentions-legales", _("Mentions légales")
    TERMS = "cgv", _("Conditions générales de vente")
    RETURNS = "retours", _("Retours et droit de rétractation")
    DELIVERY = "livraison", _("Livraison")
    PRIVACY = "confidentialite", _("Confidentialité et cookies")
    CONTACT = "contact", _("Contact et service client")
    SELL = "vendre", _("Vendre sur Galerie")


class StorefrontPage(models.Model):
    """One trust page of a storefront (mentions légales, CGV, contact…), shown at /pages/<kind>/
    and linked from the footer. The body is Markdown, rendered sanitised
    (`galerie.storefronts.pages`); plain text with blank lines between paragraphs reads the same.
    A page the storefront lacks shows its default text."""

    storefront = models.ForeignKey(
        Storefront, on_delete=models.CASCADE, related_name="pages", verbose_name=_("boutique")
    )
    kind = models.CharField(_("page"), max_length=20, choices=StorefrontPageKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(
        _("texte"),
        help_text=_(
            "Markdown : une ligne vide sépare les paragraphes, **gras**, *italique*, "
            "## intertitre, - liste, [lien](https://exemple.fr). Le HTML et les scripts sont "
            "retirés."
        ),
    )
    updated_at = clock.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("page d'information")
        verbose_name_plural = _("pages d'information")
        ordering = ["storefront", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["storefront", "kind"], name="storefront_page_once")
        ]

    def __str__(self) -> str:
        return f"{self.storefront} · {self.get_kind_display()}"

"""Catalogue models: a category tree, product types with typed attributes, products.

A product exists once in the mall, identified by its GTIN; sellers' offers hang off it.
`best_price`, `offer_count` and `in_stock` are a summary of its offers kept by
`galerie.sellers.services.product_offer_summary_refresh`, so listings never aggregate offers.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.catalog.gtin import InvalidGTIN, normalize_gtin
from galerie.catalog.limits import POSITION_BOUNDS, PRODUCT_BOUNDS
from galerie.catalog.validators import validate_image_urls
from galerie.core.bounds import bounds_constraint, bounds_validators
from galerie.core.models import TimeStampedModel
from galerie.core.money import MONEY_FIELD


class Category(models.Model):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("catégorie parente"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant"), max_length=140, unique=True)
    position = models.PositiveIntegerField(
        _("position"), default=0, validators=bounds_validators(POSITION_BOUNDS, "position")
    )
    # Materialised path of ids ("/1/7/12/"): descendants are one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        verbose_name = _("catégorie")
        verbose_name_plural = _("catégories")
        ordering = ["path"]
        constraints = [
            bounds_constraint(POSITION_BOUNDS, "position", constraint="category_position_range")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        node = self.parent
        while node is not None:
            if self.pk and node.pk == self.pk:
                raise ValidationError(
                    {"parent": _("Une catégorie ne peut être sa propre parente.")}
                )
            node = node.parent

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        depth = path.count("/") - 2
        if path != self.path or depth != self.depth:
            old = self.path
            Category.objects.filter(pk=self.pk).update(path=path, depth=depth)
            self.path, self.depth = path, depth
            if old:
                for child in Category.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    child.save()


class TaxClass(models.TextChoices):
    STANDARD = "standard", _("Taux normal (20 %)")
    INTERMEDIATE = "intermediate", _("Taux intermédiaire (10 %)")
    REDUCED = "reduced", _("Taux réduit (5,5 %)")
    SUPER_REDUCED = "super_reduced", _("Taux particulier (2,1 %)")


class ProductType(models.Model):
    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("identifiant"), unique=True)
    tax_class = models.CharField(
        _("classe de TVA"), max_length=20, choices=TaxClass.choices, default=TaxClass.STANDARD
    )
    gtin_required = models.BooleanField(
        _("GTIN obligatoire"),
        default=True,
        help_text=_("Décocher pour les produits sans code-barres (voyages, abonnements)."),
    )
    is_book = models.BooleanField(
        _("livre (loi Lang)"),
        default=False,
        help_text=_("Le prix unique du livre s'applique aux offres neuves."),
    )

    class Meta:
        verbose_name = _("type de produit")
        verbose_name_plural = _("types de produit")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AttributeKind(models.TextChoices):
    TEXT = "text", _("texte")
    INTEGER = "integer", _("entier")
    DECIMAL = "decimal", _("décimal")
    BOOLEAN = "boolean", _("oui/non")
    CHOICE = "choice", _("liste de choix")
    DATE = "date", _("date")


class Attribute(models.Model):
    product_type = models.ForeignKey(
        ProductType, on_delete=models.CASCADE, related_name="attributes", verbose_name=_("type")
    )
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("nom"), max_length=100)
    kind = models.CharField(_("nature"), max_length=10, choices=AttributeKind.choices)
    choices = models.JSONField(_("choix possibles"), default=list, blank=True)
    unit = models.CharField(_("unité"), max_length=20, blank=True)
    is_facet = models.BooleanField(_("filtre de recherche"), default=False)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, validators=bounds_validators(POSITION_BOUNDS, "position")
    )

    class Meta:
        verbose_name = _("attribut")
        verbose_name_plural = _("attributs")
        ordering = ["product_type", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["product_type", "code"], name="attribute_code_unique"),
            bounds_constraint(POSITION_BOUNDS, "position", constraint="attribute_position_range"),
        ]

    def __str__(self) -> str:
        return f"{self.product_type} · {self.name}"


class Product(TimeStampedModel):
    title = models.CharField(_("titre"), max_length=250)
    slug = models.SlugField(_("identifiant"), max_length=280, unique=True)
    description = models.TextField(_("description"), blank=True)
    product_type = models.ForeignKey(
        ProductType, on_delete=models.PROTECT, related_name="products", verbose_name=_("type")
    )
    # Not indexed alone: the product_cat_* indexes below start with it.
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("catégorie"),
        db_index=False,
    )
    gtin = models.CharField(
        _("GTIN (EAN, ISBN)"), max_length=14, unique=True, null=True, blank=True
    )
    image_urls = models.JSONField(
        _("images (URL)"), default=list, blank=True, validators=[validate_image_urls]
    )
    publisher_price = models.DecimalField(
        _("prix éditeur TTC"),
        null=True,
        blank=True,
        help_text=_("Prix public fixé par l'éditeur (loi Lang), pour les livres."),
        validators=bounds_validators(PRODUCT_BOUNDS, "publisher_price"),
        **MONEY_FIELD,
    )
    weight_kg = models.DecimalField(
        _("poids (kg)"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Poids expédié d'une unité, pour les frais de port au poids."),
        validators=bounds_validators(PRODUCT_BOUNDS, "weight_kg"),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    # Summary of the product's purchasable offers (see module docstring).
    best_price = models.DecimalField(
        _("meilleur prix"), null=True, blank=True, editable=False, **MONEY_FIELD
    )
    offer_count = models.PositiveIntegerField(_("offres"), default=0, editable=False)
    in_stock = models.BooleanField(_("en stock"), default=False, editable=False)
    # The cheapest purchasable offer per condition ("Neuf dès X € · Occasion dès Y €").
    price_new = models.DecimalField(null=True, blank=True, editable=False, **MONEY_FIELD)
    price_refurbished = models.DecimalField(null=True, blank=True, editable=False, **MONEY_FIELD)
    price_used = models.DecimalField(null=True, blank=True, editable=False, **MONEY_FIELD)
    # What offer-level filters see: one "condition:price range:seller id" token per distinct
    # combination among its purchasable offers, space-separated and sorted. Listings are
    # invalidated when it or the fields above change, not on every sale; the precomputed facet
    # counts (CategoryFacetCount) move a product from its old tokens to its new ones.
    offer_facets = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("produit")
        verbose_name_plural = _("produits")
        ordering = ["title"]
        indexes = [
            models.Index(fields=["category", "in_stock", "best_price"], name="product_cat_price"),
            models.Index(fields=["category", "in_stock", "-created_at"], name="product_cat_new"),
            models.Index(fields=["category", "in_stock", "title"], name="product_cat_title"),
        ]
        # Every bounded column, summary included (offer prices, so the offers' range), or NULL.
        constraints = [
            bounds_constraint(
                PRODUCT_BOUNDS, name, constraint=f"product_{name}_range", nullable=True
            )
            for name in PRODUCT_BOUNDS
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.gtin:
            try:
                self.gtin = normalize_gtin(self.gtin)
            except InvalidGTIN as exc:
                errors["gtin"] = str(exc)
        else:
            self.gtin = None
            if self.product_type_id and self.product_type.gtin_required:
                errors["gtin"] = _("Un GTIN (EAN ou ISBN) est obligatoire pour ce type de produit.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Normalise even outside forms so the unique constraint compares canonical GTINs.
        if self.gtin:
            self.gtin = normalize_gtin(self.gtin)
        else:
            self.gtin = None
        super().save(*args, **kwargs)


class CategoryFacetCount(models.Model):
    """How many visible products *directly* in a category carry each facet value: the counts of
    a category's landing page, summed over its subtree, without scanning its products.

    `scope` "s": active products in stock; "o": active products sold out with a visible offer
    (added for storefronts that show sold-out items). `facet` "total" (the products themselves);
    "offres" counts products per offer mask (value: the set of (condition, price range) pairs of
    their purchasable offers, as an integer), "voffres" per seller and mask (value
    "<seller id>:<mask>"); "attr" counts attribute values (`attribute_id`, facet value), of every
    attribute so that making one a facet needs no rebuild. Kept exact by
    `galerie.catalog.facets`.
    """

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    scope = models.CharField(max_length=1)
    facet = models.CharField(max_length=8)
    attribute_id = models.IntegerField(default=0)  # not a key: values of a deleted one are ignored
    value = models.CharField(max_length=255, blank=True, default="")
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("compte de filtre")
        verbose_name_plural = _("comptes de filtres")
        constraints = [
            # Also the index every read and update goes through (category first).
            models.UniqueConstraint(
                fields=["category", "scope", "facet", "attribute_id", "value"],
                name="facet_count_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id} {self.scope} {self.facet} {self.attribute_id} {self.value}"


class AttributeValue(models.Model):
    # No single-column indexes: the unique (product, attribute) and attrvalue_facet (attribute,
    # facet_value) indexes serve those lookups, and every index costs on each catalogue write.
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="attribute_values", db_index=False
    )
    attribute = models.ForeignKey(
        Attribute, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    value_text = models.CharField(max_length=255, blank=True)
    value_int = models.BigIntegerField(null=True, blank=True)
    value_decimal = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    value_bool = models.BooleanField(null=True, blank=True)
    value_date = models.DateField(null=True, blank=True)
    # The value as shown and as counted in facets, whatever its kind.
    facet_value = models.CharField(max_length=255, editable=False, default="")

    class Meta:
        verbose_name = _("valeur d'attribut")
        verbose_name_plural = _("valeurs d'attribut")
        constraints = [
            models.UniqueConstraint(fields=["product", "attribute"], name="attribute_value_unique")
        ]
        indexes = [models.Index(fields=["attribute", "facet_value"], name="attrvalue_facet")]

    def __str__(self) -> str:
        return f"{self.attribute.name}: {self.facet_value}"

    @property
    def value(self):
        return {
            AttributeKind.TEXT: self.value_text,
            AttributeKind.CHOICE: self.value_text,
            AttributeKind.INTEGER: self.value_int,
            AttributeKind.DECIMAL: self.value_decimal,
            AttributeKind.BOOLEAN: self.value_bool,
            AttributeKind.DATE: self.value_date,
        }[self.attribute.kind]

    def clean(self):
        kind = self.attribute.kind
        column = {
            AttributeKind.TEXT: "value_text",
            AttributeKind.CHOICE: "value_text",
            AttributeKind.INTEGER: "value_int",
            AttributeKind.DECIMAL: "value_decimal",
            AttributeKind.BOOLEAN: "value_bool",
            AttributeKind.DATE: "value_date",
        }[kind]
        if getattr(self, column) in (None, ""):
            raise ValidationError({column: _("Valeur requise pour « %s ».") % self.attribute.name})
        if kind == AttributeKind.CHOICE and self.value_text not in self.attribute.choices:
            raise ValidationError(
                {
                    "value_text": _("« %(v)s » n'est pas un choix possible pour « %(a)s ».")
                    % {"v": self.value_text, "a": self.attribute.name}
                }
            )

    def save(self, *args, **kwargs):
        self.facet_value = display_value(self.attribute.kind, self.value)
        super().save(*args, **kwargs)


def display_value(kind: str, value) -> str:
    if value is None:
        return ""
    if kind == AttributeKind.BOOLEAN:
        return "oui" if value else "non"
    if kind == AttributeKind.DECIMAL:
        return format(value.normalize(), "f").replace(".", ",")
    if kind == AttributeKind.DATE:
        return value.strftime("%d/%m/%Y")
    return str(value)

"""Sellers and offers. An offer is one seller's price, condition, stock and delivery for a product.

Only offers of *verified* sellers are ever visible or purchasable (EU DSA art. 30: a trader is
identified before it sells). `stock` never goes negative: a database constraint backs the services.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from galerie.core import clock
from galerie.core.bounds import bounds_constraint, bounds_validators
from galerie.core.models import TimeStampedModel
from galerie.core.money import MONEY_FIELD
from galerie.sellers.limits import (
    COMMISSION_BOUNDS,
    OFFER_BOUNDS,
    OFFER_DELIVERY_PRICE_MAX,
    OFFER_LEAD_TIME_MAX_DAYS,
    OFFER_PRICE_MAX,
    OFFER_PRICE_MIN,
    OFFER_STOCK_MAX,
)


class SellerStatus(models.TextChoices):
    APPLIED = "applied", _("candidature déposée")
    VERIFIED = "verified", _("vérifié")
    SUSPENDED = "suspended", _("suspendu")
    REJECTED = "rejected", _("refusé")
    CLOSED = "closed", _("relation terminée")


class LegalForm(models.TextChoices):
    SAS = "sas", "SAS / SASU"
    SARL = "sarl", "SARL / EURL"
    SA = "sa", "SA"
    EI = "ei", _("Entreprise individuelle / micro-entreprise")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Autre forme de société")
    INDIVIDUAL = "individual", _("Particulier (non professionnel)")


class SellerKind(models.TextChoices):
    """What a shopper is told about a seller: a professional owes the consumer's legal rights,
    a private individual does not (Code de la consommation, liminary article)."""

    TRADER = "trader", _("Professionnel")
    PRIVATE = "private", _("Particulier")


# The consequence shown wherever a private seller's offer is (buy box, offers, cart, recap, API).
PRIVATE_SELLER_NOTICE = _(
    "Vendeur particulier : pas de garantie légale de conformité ni de droit de rétractation au "
    "titre du Code de la consommation"
)


class Seller(TimeStampedModel):
    slug = models.SlugField(_("identifiant"), unique=True)
    name = models.CharField(_("nom commercial"), max_length=120)
    legal_name = models.CharField(_("raison sociale"), max_length=200, blank=True)
    is_operator = models.BooleanField(
        _("opérateur de la galerie"),
        default=False,
        help_text=_("L'exploitant lui-même : « vendu et expédié par » la boutique."),
    )
    is_trader = models.BooleanField(
        _("vendeur professionnel"),
        default=True,
        help_text=_("Décoché : particulier (pas de garantie légale de conformité due)."),
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=SellerStatus.choices, default=SellerStatus.APPLIED
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    address = models.TextField(_("adresse"), blank=True)
    siren = models.CharField(_("SIREN/SIRET"), max_length=14, blank=True)
    vat_number = models.CharField(_("n° de TVA intracommunautaire"), max_length=20, blank=True)
    legal_form = models.CharField(
        _("forme juridique"), max_length=12, choices=LegalForm.choices, blank=True
    )
    iban = models.CharField(_("IBAN du compte de versement"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    identity_document_ref = models.CharField(
        _("référence de la pièce d'identité"), max_length=100, blank=True
    )
    compliance_certified_at = models.DateTimeField(
        _("auto-certification signée le"),
        null=True,
        blank=True,
        help_text=_("Engagement à ne proposer que des produits conformes (DSA, art. 30)."),
    )
    status_reason = models.TextField(_("motif du dernier changement de statut"), blank=True)
    relationship_ended_at = models.DateTimeField(_("fin de la relation"), null=True, blank=True)
    anonymized_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("vendeur")
        verbose_name_plural = _("vendeurs")
        ordering = ["-is_operator", "name"]
        # Verify, suspend, reject, close: the seller's right to sell, narrower than editing it.
        permissions = [("verify", _("Peut vérifier, suspendre, refuser ou clore un vendeur"))]
        constraints = [
            models.UniqueConstraint(
                fields=["is_operator"],
                condition=models.Q(is_operator=True),
                name="one_operator_seller",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def can_sell(self) -> bool:
        return self.status == SellerStatus.VERIFIED

    # The one place that turns `is_trader` into what shoppers are told: every page, the cart,
    # the recap and the API read these, none recomputes them.
    @property
    def kind(self) -> str:
        return SellerKind.TRADER if self.is_trader else SellerKind.PRIVATE

    @property
    def kind_label(self) -> str:
        return str(SellerKind(self.kind).label)

    @property
    def consumer_law_applies(self) -> bool:
        """Legal guarantee of conformity and right of withdrawal: owed by professionals only."""
        return self.kind == SellerKind.TRADER

    @property
    def consumer_law_notice(self) -> str:
        """What buying from this seller does not give the shopper; empty for a professional."""
        return "" if self.consumer_law_applies else str(PRIVATE_SELLER_NOTICE)

    def display_name(self, storefront=None) -> str:
        """« vendu et expédié par … »: the operator sells under the storefront's name."""
        if self.is_operator and storefront is not None:
            return storefront.name
        return self.name


class Condition(models.TextChoices):
    NEW = "new", _("neuf")
    USED = "used", _("occasion")
    REFURBISHED = "refurbished", _("reconditionné")


# What a shopper may see and buy, defined once here and used by every reader and writer (listing,
# buy box, cart, order, product summaries, import): as Q objects for querysets and as predicates
# for rows already in memory; a test holds the two forms to the same answers. The partial index
# `offer_purchasable` covers OFFER_ON_SALE, the part on the offer's own row.
#
# OFFER_IN_BOUNDS: an offer whose price or delivery price lies outside its bounds (a row written
# before the CHECK constraints, or with them disabled) is left out of every page rather than
# breaking it. It is tested in SQL, not on loaded rows: SQLite cannot even load a price of 1e20
# into the column's 12 digits (decimal.InvalidOperation), so such a row must never be selected.
OFFER_IN_BOUNDS = models.Q(
    price__gte=OFFER_PRICE_MIN,
    price__lte=OFFER_PRICE_MAX,
    delivery_price__gte=0,
    delivery_price__lte=OFFER_DELIVERY_PRICE_MAX,
)
OFFER_ON_SALE = models.Q(is_active=True, stock__gt=0)
OFFER_VISIBLE = models.Q(is_active=True, seller__status=SellerStatus.VERIFIED) & OFFER_IN_BOUNDS
OFFER_PURCHASABLE = OFFER_ON_SALE & OFFER_VISIBLE


def offer_in_bounds(*, price, delivery_price) -> bool:
    """OFFER_IN_BOUNDS on values."""
    return (
        OFFER_PRICE_MIN <= price <= OFFER_PRICE_MAX
        and 0 <= delivery_price <= OFFER_DELIVERY_PRICE_MAX
    )


def offer_visible(*, is_active: bool, seller_status: str, price, delivery_price) -> bool:
    """OFFER_VISIBLE on values: an active offer of a verified seller, in stock or not."""
    return (
        bool(is_active)
        and seller_status == SellerStatus.VERIFIED
        and offer_in_bounds(price=price, delivery_price=delivery_price)
    )


def offer_purchasable(
    *, is_active: bool, stock: int, seller_status: str, price, delivery_price
) -> bool:
    """OFFER_PURCHASABLE on values: a visible offer with stock to sell."""
    visible = offer_visible(
        is_active=is_active, seller_status=seller_status, price=price, delivery_price=delivery_price
    )
    return visible and stock > 0


def _bounded(name: str) -> list:
    return bounds_validators(OFFER_BOUNDS, name)


class Offer(TimeStampedModel):
    seller = models.ForeignKey(
        Seller, on_delete=models.PROTECT, related_name="offers", verbose_name=_("vendeur")
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("produit"),
        db_index=False,  # offer_product_active (product, is_active) serves it
    )
    sku = models.CharField(_("référence vendeur"), max_length=64, blank=True)
    price = models.DecimalField(_("prix TTC"), validators=_bounded("price"), **MONEY_FIELD)
    delivery_price = models.DecimalField(
        _("frais de port TTC"),
        default=0,
        help_text=_("Livraison standard d'une unité."),
        validators=_bounded("delivery_price"),
        **MONEY_FIELD,
    )
    condition = models.CharField(
        _("état"), max_length=12, choices=Condition.choices, default=Condition.NEW
    )
    condition_note = models.CharField(_("description de l'état"), max_length=300, blank=True)
    stock = models.IntegerField(_("stock"), default=0, validators=_bounded("stock"))
    lead_time_days = models.PositiveSmallIntegerField(
        _("délai d'expédition (jours)"), default=2, validators=_bounded("lead_time_days")
    )
    purchase_cost = models.DecimalField(
        _("coût d'achat HT"),
        null=True,
        blank=True,
        help_text=_("Offres de l'opérateur : prix d'achat unitaire, pour la marge."),
        validators=_bounded("purchase_cost"),
        **MONEY_FIELD,
    )
    is_active = models.BooleanField(_("active"), default=True)
    # db_default too: rows written by raw inserts that predate the flag (the demo loader's bulk
    # insert, archive imports) are not sponsored.
    is_sponsored = models.BooleanField(
        _("sponsorisée"),
        default=False,
        db_default=False,
        help_text=_(
            "Réservé à l'opérateur. Affiche « Sponsorisé » partout où l'offre est montrée ; "
            "ne change jamais son classement."
        ),
    )
    # Set while a promotion holds the price down (galerie.promotions): the price to restore, and the
    # Omnibus reference (lowest price of the 30 days before the reduction) that pages cross out.
    regular_price = models.DecimalField(
        _("prix hors promotion"),
        null=True,
        blank=True,
        validators=_bounded("price"),
        **MONEY_FIELD,
    )
    reference_price = models.DecimalField(
        _("prix de référence (30 jours)"),
        null=True,
        blank=True,
        validators=_bounded("price"),
        **MONEY_FIELD,
    )

    class Meta:
        verbose_name = _("offre")
        verbose_name_plural = _("offres")
        ordering = ["price"]
        indexes = [
            models.Index(fields=["product", "is_active"], name="offer_product_active"),
            # Listing filters and facet counts by offer (condition, price, seller of one purchasable
            # offer) read this index alone; its condition is OFFER_ON_SALE (offers_purchasable).
            models.Index(
                fields=["product", "condition", "price", "seller"],
                condition=OFFER_ON_SALE,
                name="offer_purchasable",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stock__gte=0), name="offer_stock_not_negative"
            ),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="offer_price_positive"),
            models.CheckConstraint(
                condition=models.Q(delivery_price__gte=0), name="offer_delivery_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(purchase_cost__isnull=True) | models.Q(purchase_cost__gte=0),
                name="offer_purchase_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(condition="new") | ~models.Q(condition_note=""),
                name="offer_used_has_condition_note",
            ),
            models.CheckConstraint(
                condition=models.Q(price__lte=OFFER_PRICE_MAX), name="offer_price_max"
            ),
            models.CheckConstraint(
                condition=models.Q(delivery_price__lte=OFFER_DELIVERY_PRICE_MAX),
                name="offer_delivery_price_max",
            ),
            models.CheckConstraint(
                condition=models.Q(stock__lte=OFFER_STOCK_MAX), name="offer_stock_max"
            ),
            models.CheckConstraint(
                condition=models.Q(lead_time_days__lte=OFFER_LEAD_TIME_MAX_DAYS),
                name="offer_lead_time_max",
            ),
            models.CheckConstraint(
                condition=models.Q(purchase_cost__lte=OFFER_PRICE_MAX)
                | models.Q(purchase_cost__isnull=True),
                name="offer_purchase_cost_max",
            ),
            models.UniqueConstraint(
                fields=["seller", "sku"],
                condition=~models.Q(sku=""),
                name="offer_seller_sku_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.seller} ({self.price} €)"

    @property
    def total_price(self):
        return self.price + self.delivery_price

    @property
    def reduction_percent(self) -> int | None:
        """The reduction a page announces, from the Omnibus reference (never more than the real
        reduction from it: rounded down), or None when the price is not below the reference."""
        if self.regular_price is None:  # no promotion holds the price
            return None
        return reduction_percent(reference=self.reference_price, price=self.price)


def reduction_percent(*, reference, price) -> int | None:
    """Whole percent by which `price` is below `reference`, rounded down; None when it is not
    below (a reduction of 0 % is not announced)."""
    if reference is None or price is None or reference <= 0 or price >= reference:
        return None
    percent = int((reference - price) * 100 // reference)
    return percent or None


class OfferPriceChange(models.Model):
    """One price an offer took, and when: append-only (never updated nor deleted), read for the
    Omnibus reference price (art. L112-1-1 Code de la consommation). Every writer of an offer's
    price records it through `sellers.services.offer_prices_record`."""

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="price_changes", verbose_name=_("offre")
    )
    price = models.DecimalField(_("prix TTC"), **MONEY_FIELD)
    at = clock.DateTimeField(_("le"), default=clock.now)

    class Meta:
        verbose_name = _("changement de prix")
        verbose_name_plural = _("historique des prix")
        ordering = ["offer", "at", "pk"]
        indexes = [models.Index(fields=["offer", "at"], name="offer_price_change_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gt=0), name="offer_price_change_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.price} € ({self.at:%Y-%m-%d %H:%M})"


class SellerStatusEvent(models.Model):
    """Who moved a seller from one status to another, when and why (DSA traceability)."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="status_events")
    from_status = models.CharField(max_length=12, choices=SellerStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=SellerStatus.choices)
    reason = models.TextField(_("motif"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("par"),
    )
    created_at = clock.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("changement de statut vendeur")
        verbose_name_plural = _("changements de statut vendeur")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.seller}: {self.from_status or '—'} → {self.to_status}"


class SellerRole(models.TextChoices):
    OWNER = "owner", _("propriétaire")
    STAFF = "staff", _("collaborateur")


class SellerMember(models.Model):
    """A user working for a seller account. A user may work for several sellers."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_memberships"
    )
    role = models.CharField(
        _("rôle"), max_length=10, choices=SellerRole.choices, default=SellerRole.STAFF
    )
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membre d'un vendeur")
        verbose_name_plural = _("membres d'un vendeur")
        constraints = [
            models.UniqueConstraint(fields=["seller", "user"], name="seller_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller} ({self.role})"


class CommissionRule(models.Model):
    """The operator's commission on a seller's line: a percentage of the line incl. VAT plus an
    optional fixed fee per line. The most specific rule wins (see sellers.commissions)."""

    storefront = models.ForeignKey(
        "storefronts.Storefront",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("boutique"),
        help_text=_("Vide : toutes les boutiques."),
    )
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("catégorie"),
        help_text=_("Vide : toutes les catégories (et sous-catégories)."),
    )
    rate = models.DecimalField(
        _("taux (%)"),
        max_digits=5,
        decimal_places=2,
        validators=bounds_validators(COMMISSION_BOUNDS, "rate"),
    )
    fixed_fee = models.DecimalField(
        _("frais fixes par ligne TTC"),
        default=0,
        validators=bounds_validators(COMMISSION_BOUNDS, "fixed_fee"),
        **MONEY_FIELD,
    )

    class Meta:
        verbose_name = _("règle de commission")
        verbose_name_plural = _("règles de commission")
        constraints = [
            # One rule per (storefront or all) × (category or all): NULL counts as a value here.
            models.UniqueConstraint(
                Coalesce("storefront", 0), Coalesce("category", 0), name="commission_rule_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lte=100), name="commission_rate_percent"
            ),
            bounds_constraint(
                COMMISSION_BOUNDS, "fixed_fee", constraint="commission_fixed_fee_range"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.rate} % + {self.fixed_fee} € ({self.storefront or _('toutes')} / "
            f"{self.category or _('toutes')})"
        )

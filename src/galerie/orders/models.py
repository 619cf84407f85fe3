"""Orders: one customer Order split into one SellerOrder per seller, snapshot lines, events.

Lines and delivery fees are snapshots taken when the order is placed: later changes to offers,
products or VAT rates never alter an order. Totals are sums of the stored lines.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from galerie.core import clock
from galerie.core.models import TimeStampedModel
from galerie.core.money import MONEY_FIELD
from galerie.orders.limits import LINE_QUANTITY_MAX
from galerie.pricing.models import VatExemption


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("en attente de paiement")
    PAID = "paid", _("payée")
    CANCELLED = "cancelled", _("annulée")


class SellerOrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("en attente de paiement")
    PAID = "paid", _("à accepter")
    ACCEPTED = "accepted", _("acceptée")
    SHIPPED = "shipped", _("expédiée")
    DELIVERED = "delivered", _("livrée")
    CANCELLED = "cancelled", _("annulée")


def order_number(*, pk: int | None, source_number: str = "") -> str:
    """The order number customers see: an order taken in from another installation keeps the
    number it had there (`source_number`), so its customer finds it under the same number."""
    if source_number:
        return source_number
    return f"G{pk:07d}" if pk else "G-"


def invoice_number(
    *, order_number: str, seller_order_pk: int, source_invoice_number: str = ""
) -> str:
    """A seller's invoice number for its part of an order (each seller invoices what it sells);
    a part taken in from another installation keeps the number its invoice was issued under."""
    return source_invoice_number or f"{order_number}-{seller_order_pk}"


class Order(TimeStampedModel):
    public_id = models.UUIDField(
        _("identifiant public"), default=uuid.uuid4, unique=True, editable=False
    )
    storefront = models.ForeignKey(
        "storefronts.Storefront",
        on_delete=models.PROTECT,
        related_name="orders",
        null=True,
        verbose_name=_("boutique"),
    )
    email = models.EmailField(_("e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    shipping_address = models.JSONField(_("adresse de livraison"))
    billing_address = models.JSONField(_("adresse de facturation"))
    # A business buyer's identity, optional at checkout, printed on its invoices (CGI art. 242
    # nonies A: the customer's SIREN and VAT number for a sale between professionals).
    buyer_company = models.CharField(_("société"), max_length=200, blank=True, default="")
    buyer_siren = models.CharField(_("SIREN/SIRET"), max_length=14, blank=True, default="")
    buyer_vat_number = models.CharField(
        _("n° de TVA intracommunautaire"), max_length=20, blank=True, default=""
    )
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.PENDING_PAYMENT,
        db_index=True,
    )
    items_total = models.DecimalField(_("articles TTC"), **MONEY_FIELD)
    delivery_total = models.DecimalField(_("livraison TTC"), **MONEY_FIELD)
    total = models.DecimalField(_("total TTC"), **MONEY_FIELD)
    vat_total = models.DecimalField(_("dont TVA"), **MONEY_FIELD)
    refunded_total = models.DecimalField(_("remboursé"), default=0, **MONEY_FIELD)
    idempotency_key = models.CharField(max_length=128, null=True, blank=True, unique=True)
    request_hash = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True, db_index=True)
    paid_at = models.DateTimeField(_("payée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancel_reason = models.CharField(_("motif d'annulation"), max_length=200, blank=True)
    # Blank for the orders placed here; set by a storefront import (carveout) to the number the
    # order had at its source installation.
    source_number = models.CharField(_("numéro d'origine"), max_length=40, blank=True, default="")

    class Meta:
        verbose_name = _("commande")
        verbose_name_plural = _("commandes")
        ordering = ["-created_at", "-pk"]
        # The day's orders (the back office's home) and the newest-first list read a range of it.
        indexes = [models.Index(fields=["created_at", "id"], name="order_created")]
        # Narrower than "change": cancelling or refunding moves money and stock (core/roles.py).
        permissions = [
            ("cancel", _("Peut annuler des commandes")),
            ("refund", _("Peut rembourser des commandes")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="order_total_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(refunded_total__gte=0)
                & models.Q(refunded_total__lte=models.F("total")),
                name="order_refund_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return order_number(pk=self.pk, source_number=self.source_number)

    def get_absolute_url(self) -> str:
        return reverse("orders:detail", kwargs={"public_id": self.public_id})


class SellerOrder(TimeStampedModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="seller_orders")
    seller = models.ForeignKey(
        "sellers.Seller",
        on_delete=models.PROTECT,
        related_name="seller_orders",
        verbose_name=_("vendeur"),
    )
    seller_name = models.CharField(_("vendeur"), max_length=200)
    seller_legal = models.CharField(_("identité du vendeur"), max_length=400, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=SellerOrderStatus.choices,
        default=SellerOrderStatus.PENDING_PAYMENT,
        db_index=True,
    )
    delivery_method = models.ForeignKey(
        "pricing.DeliveryMethod", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivery_label = models.CharField(_("mode de livraison"), max_length=100)
    delivery_fee = models.DecimalField(_("frais de port TTC"), **MONEY_FIELD)
    # [{"rate": "5.5", "ttc": "3.00", "vat": "0.16"}, …]: the fee split by the goods' VAT rates.
    delivery_vat = models.JSONField(default=list)
    delivery_date_min = models.DateField(_("livraison au plus tôt"), null=True, blank=True)
    delivery_date_max = models.DateField(_("livraison au plus tard"), null=True, blank=True)
    items_total = models.DecimalField(_("articles TTC"), **MONEY_FIELD)
    total = models.DecimalField(_("total TTC"), **MONEY_FIELD)
    delivery_refunded = models.DecimalField(_("frais de port remboursés"), default=0, **MONEY_FIELD)
    carrier = models.CharField(_("transporteur"), max_length=100, blank=True)
    tracking_number = models.CharField(_("n° de suivi"), max_length=100, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Blank for the parts placed here; set by a storefront import (carveout) to the number the
    # part's invoice was issued under at its source installation.
    source_invoice_number = models.CharField(
        _("numéro de facture d'origine"), max_length=60, blank=True, default=""
    )

    class Meta:
        verbose_name = _("sous-commande vendeur")
        verbose_name_plural = _("sous-commandes vendeur")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "seller"], name="sellerorder_one_per_seller")
        ]

    def __str__(self) -> str:
        return f"{self.invoice_number} ({self.seller_name})"

    @property
    def invoice_number(self) -> str:
        """The number of this part's invoice, and the seller's reference of the part."""
        return invoice_number(
            order_number=self.order.number,
            seller_order_pk=self.pk,
            source_invoice_number=self.source_invoice_number,
        )


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    seller_order = models.ForeignKey(SellerOrder, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(
        "sellers.Offer", null=True, on_delete=models.SET_NULL, related_name="order_lines"
    )
    product = models.ForeignKey(
        "catalog.Product", null=True, on_delete=models.SET_NULL, related_name="order_lines"
    )
    title = models.CharField(_("désignation"), max_length=250)
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True)
    seller_name = models.CharField(_("vendeur"), max_length=200)
    condition = models.CharField(_("état"), max_length=12)
    is_new_book = models.BooleanField(default=False)
    unit_price = models.DecimalField(_("prix unitaire TTC"), **MONEY_FIELD)
    quantity = models.PositiveIntegerField(
        _("quantité"), validators=[MinValueValidator(1), MaxValueValidator(LINE_QUANTITY_MAX)]
    )
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2)
    line_total = models.DecimalField(_("total TTC"), **MONEY_FIELD)
    vat_amount = models.DecimalField(_("dont TVA"), **MONEY_FIELD)
    # Why the line carries no VAT (a private seller's sale), decided by pricing.sale_vat.
    vat_exemption = models.CharField(
        _("exonération de TVA"),
        max_length=20,
        blank=True,
        default="",
        choices=VatExemption.choices,
    )
    refunded_quantity = models.PositiveIntegerField(_("quantité remboursée"), default=0)
    # Frozen by `order_commissions_freeze` when the order is paid, never recomputed: a later
    # change of the commission rules, the product's category or the offer's purchase cost leaves
    # this line as it was sold. Commission: what the operator keeps on a third-party seller's line,
    # VAT included (None on the operator's own lines); purchase cost: the operator's own lines only.
    commission_rate = models.DecimalField(
        _("taux de commission (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    commission_fixed_fee = models.DecimalField(
        _("frais fixes de commission"), null=True, blank=True, **MONEY_FIELD
    )
    commission_amount = models.DecimalField(
        _("commission TTC"), null=True, blank=True, **MONEY_FIELD
    )
    category = models.ForeignKey(
        "catalog.Category",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("catégorie à la commande"),
    )
    purchase_cost = models.DecimalField(
        _("coût d'achat unitaire HT"), null=True, blank=True, **MONEY_FIELD
    )
    # A trip's cost is per traveller type (adult, child): it does not divide into a unit cost to
    # the cent, so the operator's booking cost is frozen whole here (TTC: under the margin
    # scheme the suppliers' VAT is not deductible) and the ledger posts it instead of
    # purchase_cost × quantity, so that cost and margin are exact.
    purchase_cost_total = models.DecimalField(
        _("coût d'achat de la ligne"), null=True, blank=True, **MONEY_FIELD
    )
    # The cart line's details as ordered (a trip's travellers and options, a subscription's
    # renewal choice, or the subscription a renewal order pays for: {"renews": id, "term": n}).
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("ligne de commande")
        verbose_name_plural = _("lignes de commande")
        ordering = ["seller_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0, quantity__lte=LINE_QUANTITY_MAX),
                name="orderline_qty_range",
            ),
            models.CheckConstraint(
                condition=models.Q(refunded_quantity__lte=models.F("quantity")),
                name="orderline_refund_within_qty",
            ),
            models.CheckConstraint(
                condition=models.Q(commission_amount__isnull=True)
                | models.Q(commission_amount__gte=0, commission_amount__lte=models.F("line_total")),
                name="orderline_commission_within_line",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"

    @property
    def line_ht(self):
        return self.line_total - self.vat_amount

    @property
    def vat_exemption_label(self) -> str:
        return str(self.get_vat_exemption_display()) if self.vat_exemption else ""

    @property
    def vat_on_margin(self) -> bool:
        """Sold under the travel margin scheme: `vat_amount` is the VAT on the operator's margin,
        posted to the ledger but never shown to the customer (no VAT, no HT on the invoice)."""
        return self.vat_exemption == VatExemption.TRAVEL_MARGIN

    @property
    def vat_invoiced(self):
        """The line's VAT as the customer's documents show it (none under the margin scheme)."""
        return Decimal("0.00") if self.vat_on_margin else self.vat_amount

    @property
    def seller_net(self):
        """What the seller is owed for the line: its total less the frozen commission."""
        return self.line_total - (self.commission_amount or 0)


class OrderEvent(models.Model):
    """One transition of an order or seller order: who, when, from → to."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    seller_order = models.ForeignKey(
        SellerOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("par"), max_length=100)
    from_status = models.CharField(_("de"), max_length=20, blank=True)
    to_status = models.CharField(_("vers"), max_length=20)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = clock.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("événement de commande")
        verbose_name_plural = _("événements de commande")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status} ({self.actor_label})"

    @property
    def to_label(self) -> str:
        choices = SellerOrderStatus if self.seller_order_id else OrderStatus
        try:
            return str(choices(self.to_status).label)
        except ValueError:
            return self.to_status


class OrderMailSent(models.Model):
    """An order e-mail sent by a background task (orders.tasks): the row makes the task
    idempotent — a task run twice (a retry, a duplicate delivery) finds it and sends nothing."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("e-mail"), max_length=40)
    sent_at = clock.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail de commande envoyé")
        verbose_name_plural = _("e-mails de commande envoyés")
        constraints = [
            models.UniqueConstraint(fields=["order", "kind"], name="order_mail_sent_once")
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"

"""Invoices and credit notes (avoirs): legal documents frozen when issued.

Each issuer (a Seller row; the operator is the Seller with `is_operator`) numbers its documents
in gap-free series per year ("F-2026-000123"), counted on a locked counter row (locks.py). An
issued document and its lines are never changed: a correction is a credit note. Every mention of
CGI art. 242 nonies A is copied onto the document at issue, so a later change of the seller's
details, of the order or of a VAT rate never alters it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core.money import MONEY_FIELD


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("facture")
    CREDIT_NOTE = "credit_note", _("avoir")
    COMMISSION = "commission", _("facture de commission")


# One series (and so one gap-free sequence) per kind and issuer.
SERIES = {
    InvoiceKind.INVOICE: "F",
    InvoiceKind.CREDIT_NOTE: "A",
    InvoiceKind.COMMISSION: "C",
}


class ImmutableInvoiceError(Exception):
    """An issued invoice, credit note or line was asked to change."""


class InvoiceCounter(models.Model):
    """The last number given in one series of one issuer for one year (locked to count)."""

    issuer = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de factures")
        verbose_name_plural = _("compteurs de factures")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "series", "year"], name="invoicecounter_one_per_series"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last}"


class Invoice(models.Model):
    kind = models.CharField(_("nature"), max_length=12, choices=InvoiceKind.choices)
    issuer = models.ForeignKey(
        "sellers.Seller",
        on_delete=models.PROTECT,
        related_name="invoices_issued",
        verbose_name=_("émetteur"),
    )
    series = models.CharField(_("série"), max_length=2)
    year = models.PositiveSmallIntegerField(_("année"))
    sequence = models.PositiveIntegerField(_("rang"))
    number = models.CharField(_("numéro"), max_length=30)
    issued_at = models.DateTimeField(_("émise le"))
    # A sale's invoice and its credit notes: the seller's part of the order they document.
    seller_order = models.ForeignKey(
        "orders.SellerOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("sous-commande"),
    )
    credited_invoice = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("facture corrigée"),
    )
    # A commission invoice's customer: the seller the operator invoices.
    buyer_seller = models.ForeignKey(
        "sellers.Seller",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commission_invoices",
        verbose_name=_("vendeur facturé"),
    )
    # What the document was issued for ("refund:<key>", "payout:<id>"): issuing twice for the
    # same event gives back the first document.
    reference = models.CharField(_("référence"), max_length=160, blank=True, default="")
    order_number = models.CharField(_("commande"), max_length=40, blank=True)
    # The parties as they were at issue (CGI art. 242 nonies A).
    issuer_name = models.CharField(_("émetteur"), max_length=200)
    issuer_address = models.TextField(_("adresse de l'émetteur"), blank=True)
    issuer_siren = models.CharField(_("SIREN/SIRET de l'émetteur"), max_length=14, blank=True)
    issuer_vat_number = models.CharField(_("n° de TVA de l'émetteur"), max_length=20, blank=True)
    issuer_legal_form = models.CharField(
        _("forme juridique de l'émetteur"), max_length=100, blank=True
    )
    buyer_name = models.CharField(_("client"), max_length=200)
    buyer_address = models.TextField(_("adresse du client"), blank=True)
    buyer_country = models.CharField(_("pays du client"), max_length=2, blank=True)
    buyer_company = models.CharField(_("société cliente"), max_length=200, blank=True)
    buyer_siren = models.CharField(_("SIREN du client"), max_length=14, blank=True)
    buyer_vat_number = models.CharField(_("n° de TVA du client"), max_length=20, blank=True)
    total_ht = models.DecimalField(_("total HT"), **MONEY_FIELD)
    total_vat = models.DecimalField(_("total TVA"), **MONEY_FIELD)
    total_ttc = models.DecimalField(_("total TTC"), **MONEY_FIELD)
    delivery_ttc = models.DecimalField(_("frais de port TTC"), default=0, **MONEY_FIELD)
    # [{"rate": "20.00", "ht": "10.00", "vat": "2.00", "ttc": "12.00", "exemption": ""}, …]
    vat_breakdown = models.JSONField(_("TVA par taux"), default=list)
    # Why VAT is not charged, word for word as the law asks ("TVA non applicable, …").
    vat_mentions = models.JSONField(_("mentions de TVA"), default=list)
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="invoice_number_unique"),
            models.UniqueConstraint(
                fields=["issuer", "series", "year", "sequence"], name="invoice_sequence_unique"
            ),
            models.UniqueConstraint(
                fields=["seller_order"],
                condition=models.Q(kind="invoice"),
                name="invoice_one_per_seller_order",
            ),
            models.UniqueConstraint(
                fields=["kind", "reference"],
                condition=~models.Q(reference=""),
                name="invoice_one_per_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def filename_stem(self) -> str:
        return self.number.replace("/", "-")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableInvoiceError(f"{self.number} is issued: issue a credit note instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableInvoiceError(f"{self.number} is issued: it is never deleted")


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField(_("rang"))
    order_line = models.ForeignKey(
        "orders.OrderLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A credit note's line: the invoice line it gives back (all or part of).
    credited_line = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credits"
    )
    is_delivery = models.BooleanField(_("livraison"), default=False)
    designation = models.CharField(_("désignation"), max_length=300)
    quantity = models.IntegerField(_("quantité"))
    unit_price_ht = models.DecimalField(_("prix unitaire HT"), **MONEY_FIELD)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2)
    vat_exemption = models.CharField(_("exonération de TVA"), max_length=20, blank=True)
    total_ht = models.DecimalField(_("total HT"), **MONEY_FIELD)
    vat_amount = models.DecimalField(_("TVA"), **MONEY_FIELD)
    total_ttc = models.DecimalField(_("total TTC"), **MONEY_FIELD)

    class Meta:
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoiceline_position")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.designation}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableInvoiceError("an issued invoice's line never changes")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableInvoiceError("an issued invoice's line is never deleted")

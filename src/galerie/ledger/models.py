"""Double-entry ledger: journals, accounts (French plan comptable), entries and their lines.

Entries and lines are written once and never changed: the models refuse updates and deletes, the
query sets refuse bulk updates and deletes, and database triggers (migration 0002) refuse what
bypasses Django — UPDATE and DELETE on PostgreSQL, UPDATE on SQLite (see the migration for why).
A correction is a new entry (`journal_reverse`). Lines carry the storefront, seller, category and
date of their entry so that the economics reports aggregate one table without joins.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from galerie.core import clock
from galerie.ledger.errors import LedgerError

AMOUNT_FIELD = {"max_digits": 14, "decimal_places": 2}


class AccountKind(models.TextChoices):
    ASSET = "asset", pgettext_lazy("account kind", "actif")
    LIABILITY = "liability", pgettext_lazy("account kind", "passif")
    EQUITY = "equity", pgettext_lazy("account kind", "capitaux propres")
    REVENUE = "revenue", pgettext_lazy("account kind", "produit")
    EXPENSE = "expense", pgettext_lazy("account kind", "charge")


# Accounts whose normal balance is on the debit side; the others are credit-normal.
DEBIT_NORMAL_KINDS = frozenset({AccountKind.ASSET, AccountKind.EXPENSE})


class Journal(models.Model):
    """A book of entries (VE ventes, BQ banque, OD opérations diverses), gaplessly numbered."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("libellé"), max_length=100)
    last_number = models.PositiveIntegerField(_("dernier numéro attribué"), default=0)

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journaux")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Account(models.Model):
    """A ledger account. `number` is the general account (CompteNum of the FEC); a seller's
    sub-account shares its collective account's number and adds an auxiliary number (CompAuxNum).

    `debit_total` and `credit_total` are maintained by `journal_post` with F() updates, in account
    primary-key order; `ledger_check` proves they equal the sum of the lines.
    """

    code = models.CharField(_("code"), max_length=30, unique=True)
    number = models.CharField(_("numéro de compte général"), max_length=20, db_index=True)
    aux_number = models.CharField(_("numéro de compte auxiliaire"), max_length=20, blank=True)
    name = models.CharField(_("libellé"), max_length=200)
    kind = models.CharField(_("nature"), max_length=10, choices=AccountKind.choices)
    seller = models.ForeignKey(
        "sellers.Seller",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("vendeur"),
    )
    debit_total = models.DecimalField(_("total débit"), default=0, **AMOUNT_FIELD)
    credit_total = models.DecimalField(_("total crédit"), default=0, **AMOUNT_FIELD)

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "seller"],
                condition=Q(seller__isnull=False),
                name="ledger_one_subaccount_per_seller",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_debit_normal(self) -> bool:
        return self.kind in DEBIT_NORMAL_KINDS

    @property
    def balance(self):
        """Signed debit − credit from the stored totals (positive: debit balance)."""
        return self.debit_total - self.credit_total


class EntryKind(models.TextChoices):
    CAPTURE = "capture", _("encaissement client")
    REFUND = "refund", _("remboursement client")
    PAYOUT = "payout", _("versement vendeur")
    PAYMENT_FEE = "payment_fee", _("frais de paiement")
    SETTLEMENT = "settlement", _("virement du prestataire")
    RECEIPT = "receipt", _("virement client reçu")
    REVERSAL = "reversal", _("contre-passation")
    MANUAL = "manual", _("écriture manuelle")


class ImmutableQuerySet(models.QuerySet):
    """Bulk update/delete would bypass the per-row guard: refuse them."""

    def update(self, **kwargs):
        raise LedgerError(
            str(_("Les écritures comptables ne se modifient pas : passez une contre-passation.")),
            code="ledger_immutable",
        )

    def delete(self):
        raise LedgerError(
            str(_("Les écritures comptables ne se suppriment pas : passez une contre-passation.")),
            code="ledger_immutable",
        )

    delete.queryset_only = True


class ImmutableModel(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerError(
                str(_("Une écriture enregistrée ne se modifie pas : passez une contre-passation.")),
                code="ledger_immutable",
            )
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerError(
            str(_("Une écriture enregistrée ne se supprime pas : passez une contre-passation.")),
            code="ledger_immutable",
        )


class AnalyticsDimensions(models.Model):
    """What a journal line or a monthly total is about, so reports group one table by it.
    None: not attributable (e.g. a payment fee has no category)."""

    storefront = models.ForeignKey(
        "storefronts.Storefront",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("boutique"),
    )
    seller = models.ForeignKey(
        "sellers.Seller",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vendeur"),
    )
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("catégorie"),
    )

    class Meta:
        abstract = True


class JournalEntry(ImmutableModel):
    """One balanced entry (écriture). Written only by `galerie.ledger.services.journal_post`."""

    journal = models.ForeignKey(
        Journal, on_delete=models.PROTECT, related_name="entries", verbose_name=_("journal")
    )
    number = models.PositiveIntegerField(_("numéro"))
    date = models.DateField(_("date comptable"), db_index=True)
    label = models.CharField(_("libellé"), max_length=200)
    reference = models.CharField(_("pièce justificative"), max_length=100, blank=True)
    kind = models.CharField(
        _("type"), max_length=12, choices=EntryKind.choices, default=EntryKind.MANUAL
    )
    storefront = models.ForeignKey(
        "storefronts.Storefront",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("boutique"),
    )
    # Plain ids/strings so that the orders and payments apps can link without a dependency cycle.
    order_id = models.BigIntegerField(_("n° de commande"), null=True, blank=True, db_index=True)
    order_ref = models.CharField(_("référence de commande"), max_length=100, blank=True)
    idempotency_key = models.CharField(
        _("clé d'idempotence"), max_length=200, null=True, blank=True, unique=True
    )
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        verbose_name=_("contre-passe l'écriture"),
    )
    created_at = clock.DateTimeField(_("validée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("écriture")
        verbose_name_plural = _("écritures")
        ordering = ["date", "journal_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["journal", "number"], name="ledger_entry_number"),
            models.UniqueConstraint(
                fields=["reverses"],
                condition=Q(reverses__isnull=False),
                name="ledger_entry_reversed_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.piece_number} {self.label}"

    @property
    def piece_number(self) -> str:
        """EcritureNum of the FEC: journal code and its gapless number."""
        return f"{self.journal.code}{self.number:06d}"


class JournalLine(ImmutableModel, AnalyticsDimensions):
    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, related_name="lines", verbose_name=_("écriture")
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="lines", verbose_name=_("compte")
    )
    debit = models.DecimalField(_("débit"), default=0, **AMOUNT_FIELD)
    credit = models.DecimalField(_("crédit"), default=0, **AMOUNT_FIELD)
    label = models.CharField(_("libellé"), max_length=200, blank=True)
    # Analytics, copied from the entry or given per line, so reports group a single table.
    date = models.DateField(_("date comptable"))
    # First day of the date's month: reports group by it without computing DATE_TRUNC per row.
    month = models.DateField(_("mois"))

    class Meta:
        verbose_name = _("ligne d'écriture")
        verbose_name_plural = _("lignes d'écriture")
        ordering = ["entry_id", "id"]
        indexes = [
            models.Index(fields=["account", "date"], name="ledger_line_account_date"),
            models.Index(fields=["date", "storefront"], name="ledger_line_date_storefront"),
            models.Index(fields=["month", "storefront"], name="ledger_line_month_storefront"),
            models.Index(fields=["seller", "account"], name="ledger_line_seller_account"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(credit__gt=0) & Q(debit=0)),
                name="ledger_line_one_side",
            ),
        ]

    def __str__(self) -> str:
        side = f"D {self.debit}" if self.debit else f"C {self.credit}"
        return f"{self.account.code} {side}"

    def clean(self):
        if (self.debit > 0) == (self.credit > 0) or self.debit < 0 or self.credit < 0:
            raise ValidationError(_("Une ligne porte un montant positif au débit OU au crédit."))


class LedgerTotal(AnalyticsDimensions):
    """Running debit and credit totals per month × account × storefront × seller × category ×
    entry kind (capture, refund, payout …).

    Derived data, kept by `journal_post` under the ledger lock so that period reports read a few
    thousand rows instead of millions of lines; `ledger_check` proves it equals the lines.
    """

    month = models.DateField(_("mois"))
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("compte")
    )
    entry_kind = models.CharField(
        _("type d'écriture"), max_length=12, choices=EntryKind.choices, default=EntryKind.MANUAL
    )
    debit = models.DecimalField(_("débit"), default=0, max_digits=16, decimal_places=2)
    credit = models.DecimalField(_("crédit"), default=0, max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("cumul mensuel")
        verbose_name_plural = _("cumuls mensuels")
        indexes = [
            models.Index(
                fields=["month", "account", "storefront", "seller", "category"],
                name="ledger_total_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.account_id}"

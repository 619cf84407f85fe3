"""Catalogue feed imports: category mappings the operator edits, import jobs and their reports.

An ImportJob is the unit of resumption: each batch commits its rows, its error lines, the ids it
has seen and the job's `last_row` in one transaction, so a crashed import restarts after it.
"""

import os
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from galerie.core.models import TimeStampedModel


class FeedStorage(FileSystemStorage):
    """Uploaded feeds live beside the database in VAR_DIR/imports (read when used)."""

    @property
    def base_location(self):
        return str(settings.VAR_DIR / "imports")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def feed_storage() -> FileSystemStorage:
    return FeedStorage()


def _detached(upload) -> File:
    """The upload's content, readable after the request has closed (and Django deleted) the
    upload itself; an anonymous handle that vanishes with its process if never stored."""
    if hasattr(upload, "temporary_file_path"):
        # An open descriptor keeps the spooled file's data alive after its name is removed.
        return File(open(upload.temporary_file_path(), "rb"))  # noqa: SIM115
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the store step
    upload.seek(0)
    for chunk in upload.chunks():
        spool.write(chunk)
    spool.seek(0)
    return File(spool)


class CategoryMapping(models.Model):
    """A feed's category value (`product_type` or `google_product_category`) → mall category."""

    source = models.CharField(
        _("valeur dans le flux"),
        max_length=255,
        help_text=_("Ex. « Livres > Romans » ou « Media > Books » (la casse est ignorée)."),
    )
    source_key = models.CharField(max_length=255, unique=True, editable=False)
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("catégorie de la galerie"),
    )
    product_type = models.ForeignKey(
        "catalog.ProductType",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("type de produit"),
        help_text=_("Vide : type « Générique »."),
    )

    class Meta:
        verbose_name = _("correspondance de catégorie")
        verbose_name_plural = _("correspondances de catégories")
        ordering = ["source"]

    def __str__(self) -> str:
        return f"{self.source} → {self.category}"

    def save(self, *args, **kwargs):
        self.source = self.source.strip()
        self.source_key = mapping_key(self.source)
        super().save(*args, **kwargs)


def mapping_key(value: str) -> str:
    return " > ".join(part.strip() for part in value.split(">")).casefold()


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    RUNNING = "running", _("en cours")
    DONE = "done", _("terminé")
    FAILED = "failed", _("échoué")


class ImportJob(TimeStampedModel):
    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.CASCADE, related_name="+", verbose_name=_("vendeur")
    )
    storefront = models.ForeignKey(
        "storefronts.Storefront",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("boutique"),
    )
    path = models.CharField(_("fichier"), max_length=500, blank=True)
    upload = models.FileField(_("flux envoyé"), storage=feed_storage, blank=True)
    full = models.BooleanField(
        _("flux complet"),
        default=False,
        help_text=_("Désactive les offres du vendeur absentes du flux (sans les supprimer)."),
    )
    merge = models.BooleanField(_("fusion de boutique"), default=False)
    create_categories = models.BooleanField(
        _("créer les catégories manquantes"),
        default=False,
        help_text=_("Fusion : les catégories du flux que la galerie n'a pas sont créées."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    fingerprint = models.CharField(max_length=80, blank=True, editable=False)
    total_bytes = models.BigIntegerField(default=0)
    done_bytes = models.BigIntegerField(default=0)
    last_row = models.PositiveIntegerField(_("dernière ligne validée"), default=0)
    rows_ok = models.PositiveIntegerField(_("lignes importées"), default=0)
    rows_rejected = models.PositiveIntegerField(_("lignes rejetées"), default=0)
    products_created = models.PositiveIntegerField(_("produits créés"), default=0)
    products_matched = models.PositiveIntegerField(_("produits reconnus (GTIN)"), default=0)
    offers_created = models.PositiveIntegerField(_("offres créées"), default=0)
    offers_updated = models.PositiveIntegerField(_("offres modifiées"), default=0)
    offers_unchanged = models.PositiveIntegerField(_("offres inchangées"), default=0)
    offers_deactivated = models.PositiveIntegerField(_("offres désactivées"), default=0)
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import de catalogue")
        verbose_name_plural = _("imports de catalogue")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import n° {self.pk} — {self.seller}"

    @property
    def progress_percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_bytes:
            return 0
        return min(99, int(100 * self.done_bytes / self.total_bytes))

    @property
    def feed_path(self) -> str:
        return self.upload.path if self.upload else self.path

    def save(self, *args, **kwargs):
        """A new upload is written to disk once the job row is committed, never before: a
        rolled-back job (admin or portal) leaves no file behind. Whoever queues the job does it
        with `transaction.on_commit` too, after this, so the worker finds the file."""
        if not self.upload or self.upload._committed:
            return super().save(*args, **kwargs)
        received, name = _detached(self.upload.file), self.upload.name
        self.upload = ""
        super().save(*args, **kwargs)

        def store():
            with received:
                self.upload.save(name, received, save=False)
            type(self).objects.filter(pk=self.pk).update(upload=self.upload.name)

        transaction.on_commit(store)

    def upload_delete(self) -> None:
        """Delete the uploaded file (its name stays, as the job's label)."""
        if self.upload and self.upload.storage.exists(self.upload.name):
            self.upload.storage.delete(self.upload.name)


class ImportRowKey(models.Model):
    """A seller id (`id` column) seen by a job: duplicates across batches, `--full`, resumption."""

    # Not indexed alone: the unique (job, sku) index starts with it.
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="+", db_index=False)
    sku = models.CharField(max_length=64)
    row = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "sku"], name="import_row_key_unique")]

    def __str__(self) -> str:
        return f"{self.sku} (ligne {self.row})"


class ImportRowError(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="errors")
    row = models.PositiveIntegerField(_("ligne"))
    column = models.CharField(_("colonne"), max_length=40)
    code = models.CharField(_("code"), max_length=40)
    message = models.CharField(_("motif"), max_length=500)
    value = models.CharField(_("valeur"), max_length=200, blank=True)
    is_warning = models.BooleanField(_("avertissement"), default=False)

    class Meta:
        verbose_name = _("anomalie d'import")
        verbose_name_plural = _("anomalies d'import")
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["job", "code"], name="import_error_job_code")]

    def __str__(self) -> str:
        return f"ligne {self.row} · {self.column} : {self.message}"

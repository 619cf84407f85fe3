"""What carries a storefront between installations: this installation's identity, and the
bookkeeping of an archive's import (which entity kinds are in, and which source id became which
target id) that makes an import resumable and a second run a no-op."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core.models import TimeStampedModel


class Installation(models.Model):
    """One row, written on first use: archives name their source installation by its id."""

    installation_id = models.UUIDField(_("identifiant de l'installation"), default=uuid.uuid4)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("installation")
        verbose_name_plural = _("installations")

    def __str__(self) -> str:
        return str(self.installation_id)


class ArchiveImport(TimeStampedModel):
    """One archive taken into this installation, identified by its source and manifest checksum.

    `done` lists the entity files already committed (one transaction each): a run that stopped
    half-way resumes after them, and a run over a finished import changes nothing."""

    source_installation = models.UUIDField(_("installation d'origine"))
    source_storefront = models.CharField(_("boutique d'origine"), max_length=50)
    manifest_sha256 = models.CharField(_("empreinte du manifeste"), max_length=64)
    storefront = models.ForeignKey(
        "storefronts.Storefront",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("boutique importée"),
    )
    done = models.JSONField(_("fichiers importés"), default=list)
    report = models.JSONField(_("rapport"), default=dict)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import de boutique")
        verbose_name_plural = _("imports de boutique")
        constraints = [
            models.UniqueConstraint(
                fields=["source_installation", "manifest_sha256"], name="archive_import_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_storefront} ({self.manifest_sha256[:12]})"


class ImportedRecord(models.Model):
    """Source id → target id of one imported row (`merged`: an existing row was matched)."""

    archive_import = models.ForeignKey(
        ArchiveImport, on_delete=models.CASCADE, related_name="records"
    )
    entity = models.CharField(max_length=40)
    source_id = models.BigIntegerField()
    target_id = models.BigIntegerField()
    merged = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["archive_import", "entity", "source_id"], name="imported_record_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity} {self.source_id} → {self.target_id}"


class TransferNotice(models.Model):
    """One customer told that a sold storefront's data passes to a new controller (GDPR art. 13
    and 14 on a change of controller): who, when queued, when sent. One per storefront and
    e-mail, so that telling the customers again sends nothing twice."""

    storefront = models.ForeignKey(
        "storefronts.Storefront",
        on_delete=models.PROTECT,
        related_name="transfer_notices",
        verbose_name=_("boutique"),
    )
    email = models.EmailField(_("e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("client"),
    )
    new_owner = models.CharField(_("repreneur"), max_length=200)
    transfer_date = models.DateField(_("date du transfert"))
    contact = models.CharField(_("contact pour exercer ses droits"), max_length=254)
    queued_at = models.DateTimeField(_("mis en file le"))
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("avis de cession")
        verbose_name_plural = _("avis de cession")
        constraints = [
            models.UniqueConstraint(
                fields=["storefront", "email"], name="transfer_notice_once_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.new_owner}"

"""Base model with timestamps, shared by every domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class CacheVersion(models.Model):
    """A freshness counter shared by every process: cached pages and fragments are keyed on the
    versions of what they show, and a committed change bumps them (`galerie.core.versions`)."""

    key = models.CharField(max_length=64, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("version de cache")
        verbose_name_plural = _("versions de cache")

    def __str__(self) -> str:
        return f"{self.key}={self.version}"

"""Base model with timestamps, shared by every domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core import clock


class TimeStampedModel(models.Model):
    created_at = clock.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = clock.DateTimeField(_("modifié le"), auto_now=True)

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


class ThrottleCounter(models.Model):
    """One fixed-window counter of the throttle (`galerie.core.throttle`), shared by every
    process through the database when there is no Redis. The key is a hash: no e-mail or IP
    address is stored."""

    key = models.CharField(max_length=80, primary_key=True)
    count = models.IntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("compteur de limitation")
        verbose_name_plural = _("compteurs de limitation")

    def __str__(self) -> str:
        return f"{self.key}={self.count}"


class ScheduledJob(models.Model):
    """When a periodic maintenance command (`galerie.core.schedule`) is next due. `galerie
    scheduler` claims a run by moving `next_run_at` forward with a conditional UPDATE: of two
    schedulers, exactly one sees its row count at 1 and enqueues the run."""

    name = models.CharField(max_length=64, primary_key=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tâche planifiée")
        verbose_name_plural = _("tâches planifiées")

    def __str__(self) -> str:
        return f"{self.name} @ {self.next_run_at:%Y-%m-%d %H:%M}"


class PendingTask(models.Model):
    """A task whose enqueue failed because the queue (Redis) was unreachable: kept here and
    enqueued again once it answers (galerie.core.outbox), so no work is lost to an outage."""

    task_path = models.CharField(max_length=255)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = clock.DateTimeField(auto_now_add=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("tâche en attente de file")
        verbose_name_plural = _("tâches en attente de file")

    def __str__(self) -> str:
        return self.task_path


class StaleCacheKey(models.Model):
    """A shared-cache key whose invalidation (a version bump, a session saved or deleted) could
    not reach Redis: deleted from Redis before it is trusted again (galerie.core.outbox)."""

    key = models.CharField(max_length=250, primary_key=True)
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("clé de cache à invalider")
        verbose_name_plural = _("clés de cache à invalider")

    def __str__(self) -> str:
        return self.key

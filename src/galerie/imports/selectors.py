"""Reads about catalogue imports that several callers share."""

from django.db.models import QuerySet

from galerie.imports.models import ImportJob, ImportStatus


def import_jobs_failed() -> QuerySet[ImportJob]:
    """Imports that stopped on an error: to resume (they restart after their last good row) or
    to delete."""
    return ImportJob.objects.filter(status=ImportStatus.FAILED)

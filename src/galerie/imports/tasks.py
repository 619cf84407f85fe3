"""Background import jobs (django.tasks): the back office uploads a feed, a worker runs it.

Progress is the job row itself: every committed batch saves `last_row` and `done_bytes`.
"""

from django.conf import settings

from galerie.core.tasks import task
from galerie.imports.models import ImportJob, ImportStatus
from galerie.imports.services import import_job_run


@task
def feed_import_task(job_id: int) -> dict:
    """Run (or resume) import job `job_id`; returns its counters."""
    job = ImportJob.objects.select_related("seller", "storefront").get(pk=job_id)
    if job.status == ImportStatus.DONE:
        return {"job": job.pk, "status": job.status}
    report = import_job_run(job=job, batch_size=settings.GALERIE_IMPORT_BATCH_SIZE)
    return {
        "job": job.pk,
        "status": report.job.status,
        "rows_ok": report.job.rows_ok,
        "rows_rejected": report.job.rows_rejected,
    }

"""Fault: the task worker running a feed import is killed (`kill -9`) in the middle of a batch,
after earlier batches committed. The committed batches stay (no product without its offer), the
batch in progress leaves nothing, and resuming the job (`galerie import FEED --resume N`) ends
with exactly what a clean import of the same feed gives: no duplicate product or offer.

The worker stops in the middle of a batch because the test, once some batches are committed,
takes the job row's lock: the batch's last write (its progress, `last_row`) waits for it.
"""

import time

import pytest
from django.core.management import call_command
from django.db.models import Count

from galerie.catalog.models import Product
from galerie.imports.models import ImportJob, ImportStatus
from galerie.imports.services import feed_import, import_job_create
from galerie.sellers.models import Offer
from galerie.testing import faults

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BATCH = 10  # 300 rows: 30 batches, so that polling stops it well before the end


def test_killed_worker_mid_import_resumes_without_duplicates(
    settings, mappings, seller, small_feed, tmp_path
):
    from galerie.imports.tasks import feed_import_task

    # The worker below is django-tasks-db's: queue there even when the suite has REDIS_URL.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    clean = feed_import(seller=seller, path=str(small_feed), dry_run=True, parallel=False)
    assert clean.job.products_created > 0 and not Product.objects.exists()
    env = {**faults.process_env(tmp_path), "GALERIE_IMPORT_BATCH_SIZE": str(BATCH)}
    log = tmp_path / "worker.log"
    job = import_job_create(seller=seller, path=str(small_feed))
    feed_import_task.enqueue(job.pk)

    # When: two batches are committed, the job row is locked, and the worker, stopped on it in
    # the middle of a batch, is killed.
    worker = faults.galerie_start(
        env, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1", log=log
    )
    try:
        deadline = time.monotonic() + 60
        while ImportJob.objects.get(pk=job.pk).last_row < 2 * BATCH:
            assert time.monotonic() < deadline, f"no two batches committed\n{faults.tail(log)}"
            assert worker.poll() is None, faults.tail(log)
            time.sleep(0.01)
        with faults.row_lock(
            "SELECT status, last_row FROM imports_importjob WHERE id = %s FOR UPDATE", (job.pk,)
        ):
            job.refresh_from_db()
            assert job.status == ImportStatus.RUNNING, "the import ended before it was stopped"
            waiting = faults.wait_for_lock_waiter(worker, log)
            faults.kill9(worker.pid)
    finally:
        faults.stop(worker)
    faults.backends_gone(waiting)

    # Then: whole batches only, each created product with its offer.
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and 0 < job.last_row < clean.job.last_row
    assert job.last_row % BATCH == 0
    assert Product.objects.count() == job.products_created
    assert not Product.objects.filter(offers__isnull=True).exists()
    assert Offer.objects.filter(seller=seller).count() == job.offers_created

    # Resumed after its last committed batch, the job ends as a clean import would.
    call_command("import", str(small_feed), seller=seller.slug, resume=job.pk, no_progress=True)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    for counter in ("rows_ok", "rows_rejected", "products_created", "offers_created"):
        assert getattr(job, counter) == getattr(clean.job, counter), counter
    assert Product.objects.count() == clean.job.products_created
    assert not Product.objects.filter(offers__isnull=True).exists()
    assert Offer.objects.filter(seller=seller).count() == clean.job.offers_created
    duplicates = Offer.objects.values("seller", "sku").annotate(n=Count("pk")).filter(n__gt=1)
    assert not duplicates.exists()
    call_command("ledger_check")

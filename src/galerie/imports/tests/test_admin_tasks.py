"""The back office: upload a feed for a seller, the background task runs it, the page shows it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from galerie.imports.models import ImportJob, ImportStatus
from galerie.imports.tasks import feed_import_task
from galerie.imports.tests.conftest import SAMPLE
from galerie.sellers.models import Offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path


def test_uploading_a_feed_in_the_admin_runs_it_in_the_background(
    admin_client, immediate_tasks, mappings, seller, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("flux.tsv", SAMPLE.read_bytes(), content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:imports_importjob_add"),
            {"seller": seller.pk, "storefront": "", "upload": upload},
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE and job.progress_percent == 100
    assert Offer.objects.filter(seller=seller).count() == 1900

    page = admin_client.get(reverse("admin:imports_importjob_change", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="100"' in html and "Titre manquant." in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html

    csv_response = admin_client.get(reverse("admin:imports_importjob_errors", args=[job.pk]))
    body = csv_response.content.decode("utf-8-sig")
    assert csv_response.status_code == 200
    assert body.startswith("ligne,colonne,code,motif") and body.count("\n") == 111


def test_failed_job_is_resumed_by_the_task(immediate_tasks, mappings, seller):
    job = ImportJob.objects.create(seller=seller, path=str(SAMPLE), status=ImportStatus.FAILED)
    result = feed_import_task.enqueue(job.pk)
    job.refresh_from_db()
    assert result.return_value["status"] == ImportStatus.DONE
    assert job.rows_ok == 1900


def test_mapping_admin_lists_mappings(admin_client, mappings):
    response = admin_client.get(reverse("admin:imports_categorymapping_changelist"))
    assert response.status_code == 200
    assert "Livres &gt; Romans" in response.content.decode()

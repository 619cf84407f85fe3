"""Catalogue feed imports from the seller portal: upload → background job → progress page,
error report, resumption; bad uploads refused with a message; another seller's job is a 404."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from galerie.imports.mappings import DEFAULT_MAPPINGS, category_mappings_load
from galerie.imports.models import ImportJob, ImportRowError, ImportStatus
from galerie.imports.tests.test_import import HEADER, tsv_line
from galerie.media.models import ProductImage
from galerie.portal import services
from galerie.sellers.models import Offer, SellerStatus

pytestmark = pytest.mark.django_db

FEEDS = "/vendeur/catalogue/flux/"
FEED = (
    HEADER
    + tsv_line("F-1", "Le Phare", "20.00 EUR", "9782000000013")
    + tsv_line("F-2", "", "12.00 EUR", "9782000000020")  # row 2: no title → rejected
    + tsv_line("F-3", "Un disque", "10.00 EUR", "3000000000007", ptype="Musique > CD")
    + tsv_line("F-4", "<b>Gras</b> & <script>x</script>", "abc", "3000000000014")  # row 4
)


@pytest.fixture
def mappings(world):
    result = category_mappings_load(path=DEFAULT_MAPPINGS, create=True)
    assert not result.errors
    return result


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path


def _feed(text: str = FEED, name: str = "flux.tsv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/tab-separated-values")


def _post(client, upload, *, full=False, **extra):
    data = {"file": upload} if upload is not None else {}
    if full:
        data["full"] = "on"
    return client.post(FEEDS, {**data, **extra})


def test_uploaded_feed_is_imported_in_the_background_for_the_current_seller(
    world, as_user, mappings, immediate_tasks, django_capture_on_commit_callbacks
):
    client = as_user(world.users.staff_a)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _post(client, _feed(), seller=world.seller_b.pk)

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{FEEDS}{job.pk}/"
    # once the job is committed, the upload is written, then the task queued (besides the cache
    # version bumps); the import, run at once here, then queues its new products' pictures
    queued = [c for c in callbacks if not getattr(c, "galerie_version_bump", False)]
    assert len(queued) == 3
    assert ProductImage.objects.filter(source_url="https://x.example/F-1.jpg").exists()
    assert job.seller == world.seller_a  # a seller id in the form is ignored
    assert job.status == ImportStatus.DONE and job.progress_percent == 100
    assert (job.rows_ok, job.rows_rejected) == (2, 2)
    assert sorted(Offer.objects.filter(seller=world.seller_a).values_list("sku", flat=True)) == [
        "A-1",
        "F-1",
        "F-3",
    ]
    assert not Offer.objects.filter(seller=world.seller_b, sku__startswith="F-").exists()

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "flux.tsv" in html and 'value="100"' in html and "terminé" in html
    assert "Titre manquant." in html
    assert "hx-trigger" not in html  # done: the page no longer polls
    # The feed's own text is escaped, never rendered as markup.
    assert "<script>x</script>" not in html

    listing = client.get(FEEDS)
    assert listing.status_code == 200
    assert list(listing.context["page"]) == [job]
    assert "flux.tsv" in listing.content.decode()


def test_full_import_deactivates_offers_missing_from_the_feed(
    world, as_user, mappings, immediate_tasks, django_capture_on_commit_callbacks
):
    client = as_user(world.users.owner_a)

    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _feed(), full=True)

    job = ImportJob.objects.get()
    assert job.full and job.offers_deactivated == 1
    world.offer_a.refresh_from_db()
    assert not world.offer_a.is_active
    world.offer_b.refresh_from_db()
    assert world.offer_b.is_active  # another seller's offers are not this feed's business


def test_error_report_downloads_every_error_line_as_csv(
    world, as_user, mappings, immediate_tasks, django_capture_on_commit_callbacks
):
    client = as_user(world.users.owner_a)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _feed())
    job = ImportJob.objects.get()

    response = client.get(f"{FEEDS}{job.pk}/erreurs.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"import-{job.pk}-erreurs.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    rejected = [(r["ligne"], r["colonne"]) for r in rows if r["gravite"] == "rejet"]
    assert rejected == [("2", "title"), ("4", "price")]
    assert len(rows) == ImportRowError.objects.filter(job=job).count()


def test_running_job_page_polls_its_progress_fragment_until_done(world, as_user):
    job = ImportJob.objects.create(
        seller=world.seller_a,
        path="/srv/flux/catalogue.tsv",
        status=ImportStatus.RUNNING,
        total_bytes=1000,
        done_bytes=420,
        last_row=1200,
        rows_ok=1190,
        rows_rejected=10,
    )
    ImportRowError.objects.create(
        job=job, row=7, column="title", code="html_in_title", message="HTML", value="<i>x</i>"
    )
    client = as_user(world.users.owner_a)

    page = client.get(f"{FEEDS}{job.pk}/")
    fragment = client.get(f"{FEEDS}{job.pk}/", headers={"HX-Request": "true"})

    html = page.content.decode()
    assert f'hx-get="/vendeur/catalogue/flux/{job.pk}/"' in html
    assert 'hx-trigger="every 2s"' in html and "catalogue.tsv" in html
    assert "/srv/flux" not in html  # the server's path is not the seller's business
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "HX-Request" in fragment["Vary"]
    assert not body.lstrip().startswith("<!DOCTYPE") and "<nav" not in body
    assert 'value="42"' in body and "1190" in body and "every 2s" in body
    assert "&lt;i&gt;x&lt;/i&gt;" in body and "<i>x</i>" not in body

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE)
    done = client.get(f"{FEEDS}{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and 'value="100"' in done


def test_failed_job_shows_its_message_and_is_resumed_once(
    world, as_user, django_capture_on_commit_callbacks
):
    job = ImportJob.objects.create(
        seller=world.seller_a,
        path="/nulle-part/flux.tsv",
        status=ImportStatus.FAILED,
        message="Impossible d'ouvrir le flux.",
    )
    client = as_user(world.users.staff_a)
    page = client.get(f"{FEEDS}{job.pk}/").content.decode()
    assert "Impossible d&#x27;ouvrir le flux." in page and "/reprendre/" in page

    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(f"{FEEDS}{job.pk}/reprendre/", follow=True)
        second = client.post(f"{FEEDS}{job.pk}/reprendre/", follow=True)

    assert len(callbacks) == 1  # the second click finds the job pending: not queued twice
    job.refresh_from_db()
    assert job.status == ImportStatus.PENDING
    assert "Import relancé" in first.content.decode()
    assert "Seul un import échoué peut être repris." in second.content.decode()


def test_resumed_job_runs_again_in_the_background(
    world, as_user, mappings, immediate_tasks, django_capture_on_commit_callbacks, tmp_path
):
    feed = tmp_path / "flux.tsv"
    feed.write_text(FEED, encoding="utf-8")
    job = ImportJob.objects.create(seller=world.seller_a, path=str(feed), status="failed")

    with django_capture_on_commit_callbacks(execute=True):
        as_user(world.users.owner_a).post(f"{FEEDS}{job.pk}/reprendre/")

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.rows_ok == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "Ce champ est obligatoire."),
        (_feed(name="flux.xlsx"), "Format non reconnu"),
        (
            SimpleUploadedFile("flux.csv", b"PK\x03\x04\x00\x00binaire", "text/csv"),
            "n'est pas un flux texte",
        ),
        (_feed(name="flux.xml"), "ne correspond pas à son extension .xml"),
        (_feed(text=""), "Le fichier soumis est vide."),
    ],
    ids=["no-file", "extension", "binary", "xml-not-xml", "empty"],
)
def test_bad_upload_is_refused_with_a_message_and_creates_nothing(
    world, as_user, upload, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post(as_user(world.users.owner_a), upload)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists() and not callbacks


def test_feed_above_the_size_cap_is_refused(world, as_user, monkeypatch):
    monkeypatch.setattr(services, "FEED_MAX_BYTES", 100)

    response = _post(as_user(world.users.owner_a), _feed())

    assert response.status_code == 400
    assert "Fichier trop volumineux (100" in " ".join(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()


def test_seller_not_verified_may_not_import(world, as_user, django_capture_on_commit_callbacks):
    world.seller_a.status = SellerStatus.SUSPENDED
    world.seller_a.save()

    with django_capture_on_commit_callbacks() as callbacks:
        response = _post(as_user(world.users.owner_a), _feed())

    assert response.status_code == 400
    errors = " ".join(response.context["form"].non_field_errors())
    assert "ni publier ni modifier" in errors
    assert not ImportJob.objects.exists() and not callbacks


def test_another_sellers_job_is_not_found_on_every_route(world, as_user):
    job = ImportJob.objects.create(
        seller=world.seller_a, path="/nulle-part/flux.tsv", status=ImportStatus.FAILED
    )
    client = as_user(world.users.owner_b)

    assert client.get(f"{FEEDS}{job.pk}/").status_code == 404
    assert client.get(f"{FEEDS}{job.pk}/", headers={"HX-Request": "true"}).status_code == 404
    assert client.get(f"{FEEDS}{job.pk}/erreurs.csv").status_code == 404
    assert client.post(f"{FEEDS}{job.pk}/reprendre/").status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert list(client.get(FEEDS).context["page"]) == []


def test_job_list_is_paginated_newest_first(world, as_user, django_assert_max_num_queries):
    ImportJob.objects.bulk_create(
        ImportJob(seller=world.seller_a, path=f"/f/{n}.tsv") for n in range(55)
    )
    client = as_user(world.users.owner_a)

    with django_assert_max_num_queries(13):  # + the legal pages of a storefront not yet cached
        first = client.get(FEEDS)
    second = client.get(FEEDS, {"page": 2})

    pks = [job.pk for job in first.context["page"]]
    assert len(pks) == 50 and pks == sorted(pks, reverse=True)
    assert len(second.context["page"].object_list) == 5
    assert "Imports de catalogue" in first.content.decode()  # the navigation links the page


def test_feed_pages_speak_english_to_a_seller_who_chose_it(world, as_user, settings):
    job = ImportJob.objects.create(seller=world.seller_a, path="/f/a.tsv", status="failed")
    client = as_user(world.users.owner_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    listing = client.get(FEEDS).content.decode()
    detail = client.get(f"{FEEDS}{job.pk}/").content.decode()

    assert "Catalogue imports" in listing and "Full import" in listing
    assert "Imports de catalogue" not in listing
    assert "Resume the import" in detail and "Offers deactivated" in detail


def _stored_feeds(tmp_path) -> list:
    folder = tmp_path / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_uploaded_file_is_deleted_when_its_job_ends(
    world, as_user, mappings, immediate_tasks, django_capture_on_commit_callbacks, tmp_path
):
    client = as_user(world.users.owner_a)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _feed())
    done = ImportJob.objects.get()
    assert done.status == ImportStatus.DONE and done.upload.name == "flux.tsv"

    refused = "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY x 'y'>]><rss><channel/></rss>"
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _feed(refused, name="flux.xml"))
    failed = ImportJob.objects.exclude(pk=done.pk).get()

    assert failed.status == ImportStatus.FAILED and "DTD" in failed.message
    assert _stored_feeds(tmp_path) == []
    resumed = client.post(f"{FEEDS}{failed.pk}/reprendre/", follow=True)
    assert "envoyez le flux corrigé" in resumed.content.decode()
    failed.refresh_from_db()
    assert failed.status == ImportStatus.FAILED


def test_rolled_back_job_leaves_no_file(world, immediate_tasks, tmp_path):
    from django.db import transaction

    with transaction.atomic():
        services.portal_feed_import_start(seller=world.seller_a, upload=_feed())
        transaction.set_rollback(True)

    assert not ImportJob.objects.exists()
    assert _stored_feeds(tmp_path) == []


def test_oversized_upload_is_refused_before_its_body_is_read(
    world, as_user, immediate_tasks, django_capture_on_commit_callbacks, tmp_path, settings
):
    client = as_user(world.users.owner_a)
    too_big = services.FEED_MAX_BYTES + 1024 * 1024

    with django_capture_on_commit_callbacks(execute=True):
        # Only the declared length is large: the refusal comes before anything reads the body.
        response = client.post(FEEDS, {"file": _feed()}, CONTENT_LENGTH=str(too_big))

    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert _stored_feeds(tmp_path) == []
    # The same limit guards the admin's upload of a feed; other pages accept far less.
    from django.urls import resolve

    admin_add = resolve("/admin/imports/importjob/add/").func
    assert admin_add.max_request_bytes > services.FEED_MAX_BYTES
    assert services.FEED_MAX_BYTES > settings.GALERIE_MAX_REQUEST_BYTES


def test_the_job_page_suggests_the_closest_category_for_an_unrecognised_one(
    world, as_user, mappings, immediate_tasks, django_capture_on_commit_callbacks
):
    client = as_user(world.users.owner_a)
    feed = (
        HEADER
        + tsv_line("F-1", "Casque", "40.00 EUR", "3000000000007", ptype="Audio > Casque audio")
        + tsv_line("F-2", "Casque", "40.00 EUR", "3000000000014", ptype="Audio > Casque audio")
        + tsv_line("F-3", "Le Phare", "20.00 EUR", "9782000000013")
    ).replace("\tMedia > Books\t", "\t\t")

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, _feed(feed))

    job = ImportJob.objects.get()
    assert (job.rows_ok, job.rows_rejected) == (1, 2)
    html = client.get(response["Location"]).content.decode()
    suggestion = "vouliez-vous dire « Image et son &gt; Casques » ?"
    assert "Catégories à corriger" in html
    # Once in the summary (with its row count), once per row in the error lines.
    assert html.count(suggestion) == 3
    assert "(2 lignes)" in html

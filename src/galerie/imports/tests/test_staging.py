"""The PostgreSQL write path of the feed import (COPY into staging tables, set-based apply)."""

from decimal import Decimal

import pytest
from django.db import transaction

from galerie.catalog.models import AttributeValue, Product
from galerie.imports import services, staging
from galerie.imports.models import ImportJob, ImportRowError, ImportStatus
from galerie.imports.services import feed_import
from galerie.imports.tests.conftest import gen_feed
from galerie.imports.tests.test_import import tsv_line, write
from galerie.sellers.models import Offer, OfferPriceChange

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def outcome(seller):
    """Everything an import writes, by natural keys (ids differ between two runs)."""
    offers = sorted(
        Offer.objects.filter(seller=seller).values_list(
            "sku",
            "product__gtin",
            "product__slug",
            "price",
            "regular_price",
            "stock",
            "condition",
            "condition_note",
            "is_active",
            "delivery_price",
            "lead_time_days",
        )
    )
    products = sorted(
        Product.objects.values_list(
            "slug",
            "gtin",
            "title",
            "description",
            "category_id",
            "product_type_id",
            "publisher_price",
            "best_price",
            "price_new",
            "price_used",
            "price_refurbished",
            "offer_count",
            "in_stock",
            "offer_facets",
            "is_active",
        ),
        key=repr,
    )
    values = sorted(
        AttributeValue.objects.values_list("product__slug", "attribute_id", "value_text")
    )
    history = sorted(OfferPriceChange.objects.values_list("offer__sku", "price"))
    errors = sorted(
        ImportRowError.objects.values_list("row", "column", "code", "message", "is_warning")
    )
    return offers, products, values, history, errors


def counters(job):
    return (
        job.rows_ok,
        job.rows_rejected,
        job.products_created,
        job.products_matched,
        job.offers_created,
        job.offers_updated,
        job.offers_unchanged,
        job.last_row,
    )


def test_both_write_paths_give_the_same_outcome(mappings, seller, tmp_path, monkeypatch):
    """The staged writes and the per-table writes (SQLite's) of one dirty feed, imported then
    re-imported with changes, leave the same catalogue, history and error report."""
    first = gen_feed(tmp_path / "a.tsv", rows=400, seed=11, dirty=0.05)
    second = gen_feed(tmp_path / "b.tsv", rows=400, seed=12, dirty=0.05)
    results = {}
    for staged in (True, False):
        monkeypatch.setattr(services, "STAGED_WRITES", staged)
        with transaction.atomic():
            jobs = [
                feed_import(seller=seller, path=str(feed), batch_size=150).job
                for feed in (first, first, second)
            ]
            results[staged] = (outcome(seller), [counters(j) for j in jobs])
            transaction.set_rollback(True)
    assert results[True] == results[False]
    (offers, _products, _values, history, errors), jobs = results[True]
    assert offers and history and errors
    assert jobs[1][4:6] == (0, 0)  # the re-run created and changed nothing


def test_a_second_run_changes_nothing_and_duplicates_nothing(mappings, seller, small_feed):
    feed_import(seller=seller, path=str(small_feed), batch_size=100)
    before = outcome(seller)
    updated = list(Offer.objects.order_by("pk").values_list("pk", "updated_at"))

    job = feed_import(seller=seller, path=str(small_feed), batch_size=100).job

    assert outcome(seller) == before
    assert list(Offer.objects.order_by("pk").values_list("pk", "updated_at")) == updated
    assert (job.offers_created, job.offers_updated, job.products_created) == (0, 0, 0)
    assert job.offers_unchanged == Offer.objects.count() == 300
    assert OfferPriceChange.objects.count() == 300  # the first price of each offer, once


def test_a_failure_in_batch_three_resumes_after_batch_two(
    mappings, seller, small_feed, monkeypatch
):
    original = staging.stage_offers
    calls = {"n": 0}

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("coupure")
        return original(**kwargs)

    monkeypatch.setattr(staging, "stage_offers", failing)
    with pytest.raises(RuntimeError):
        feed_import(seller=seller, path=str(small_feed), batch_size=100)
    job = ImportJob.objects.get()
    assert (job.status, job.last_row) == (ImportStatus.FAILED, 200)
    # Batch 3's products were inserted before the failure, and rolled back with it.
    assert Offer.objects.count() == Product.objects.count() == 200
    assert OfferPriceChange.objects.count() == 200
    assert not Product.objects.filter(offers__isnull=True).exists()

    monkeypatch.setattr(staging, "stage_offers", original)
    report = feed_import(seller=seller, path=str(small_feed), resume=job, batch_size=100)

    assert (report.job.status, report.job.last_row) == (ImportStatus.DONE, 300)
    assert Offer.objects.count() == Product.objects.count() == 300
    assert OfferPriceChange.objects.count() == 300
    assert Offer.objects.values("sku").distinct().count() == 300


def test_price_history_only_where_the_price_changed(mappings, seller, tmp_path):
    lines = [
        tsv_line("P-1", "Roman un", "10.00 EUR", "9782000000013"),
        tsv_line("P-2", "Roman deux", "11.00 EUR", "9782000000020"),
        tsv_line("P-3", "Roman trois", "12.00 EUR", "9782000000037"),
    ]
    feed_import(seller=seller, path=str(write(tmp_path / "a.tsv", lines)))
    assert OfferPriceChange.objects.count() == 3

    # A new price (a new book: 5 % below its publisher's price at most), then a new stock.
    lines[0] = tsv_line("P-1", "Roman un", "9.60 EUR", "9782000000013")
    lines[1] = tsv_line("P-2", "Roman deux", "11.00 EUR", "9782000000020", qty="9")
    job = feed_import(seller=seller, path=str(write(tmp_path / "b.tsv", lines))).job

    assert (job.offers_updated, job.offers_unchanged) == (2, 1)
    history = sorted(OfferPriceChange.objects.values_list("offer__sku", "price"))
    assert history == [
        ("P-1", Decimal("9.60")),
        ("P-1", Decimal("10.00")),
        ("P-2", Decimal("11.00")),
        ("P-3", Decimal("12.00")),
    ]
    assert Offer.objects.get(sku="P-2").stock == 9


def test_invalid_rows_are_rejected_with_their_row_numbers_and_nothing_half_written(
    mappings, seller, tmp_path, monkeypatch
):
    lines = [
        tsv_line("V-1", "Roman valide", "10.00 EUR", "9782000000013"),
        tsv_line("V-2", "Prix faux", "dix EUR", "9782000000020"),
        tsv_line("V-3", "GTIN faux", "12.00 EUR", "9782000000038"),
        tsv_line("V-4", "Autre valide", "13.00 EUR", "9782000000044"),
    ]
    feed = write(tmp_path / "f.tsv", lines)
    failing = {"on": True}
    original = staging.stage_offers

    def fail_once(**kwargs):
        if failing["on"]:
            raise RuntimeError("coupure")
        return original(**kwargs)

    monkeypatch.setattr(staging, "stage_offers", fail_once)
    with pytest.raises(RuntimeError):
        feed_import(seller=seller, path=str(feed))
    # The products were staged and inserted before the failure: rolled back with their batch.
    assert not Product.objects.exists() and not AttributeValue.objects.exists()
    assert not ImportRowError.objects.exists()

    failing["on"] = False
    job = feed_import(seller=seller, path=str(feed), resume=ImportJob.objects.get()).job

    assert sorted(Offer.objects.values_list("sku", flat=True)) == ["V-1", "V-4"]
    assert Product.objects.count() == 2
    rejected = sorted(ImportRowError.objects.filter(job=job).values_list("row", "code"))
    assert rejected == [(2, "price_format"), (3, "gtin_invalid")]
    assert (job.rows_ok, job.rows_rejected) == (2, 2)

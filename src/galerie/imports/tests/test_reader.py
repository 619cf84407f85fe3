"""The feed reader: in a child process for large feeds, with the same result as in-process."""

import multiprocessing
import os
import subprocess
import sys
import threading

import pytest
from django.utils import translation

from galerie.imports import reader
from galerie.imports.feeds import FeedError
from galerie.imports.models import ImportJob, ImportStatus
from galerie.imports.services import feed_import
from galerie.imports.tests.conftest import SAMPLE
from galerie.sellers.models import Offer
from galerie.testing.factories import make_seller


def flatten(batches):
    return [
        (n, sku, row, [(e.row, e.column, e.code, e.message) for e in problems])
        for batch in batches
        for n, sku, row, problems in batch.rows
    ]


def test_the_child_process_reads_exactly_what_the_importing_process_would():
    options = {"batch_size": 300, "seller_pk": 7}
    alone = list(reader.prepared_batches(str(SAMPLE), parallel=False, **options))
    forked = list(reader.prepared_batches(str(SAMPLE), parallel=True, **options))

    assert flatten(forked) == flatten(alone)
    assert len(flatten(alone)) == 2000
    assert [len(b.rows) for b in forked] == [300] * 6 + [200]
    # Positions grow to the file's size: the progress bar's share of the work done.
    positions = [b.position for b in forked]
    assert positions == sorted(positions) and positions[-1] == SAMPLE.stat().st_size
    # The reader also prepares the slug a new product would take.
    first = next(row for _n, _sku, row, _p in flatten(alone) if row is not None and row.gtin)
    assert first.slug.endswith("-" + first.gtin)


def test_resuming_skips_the_committed_rows_in_the_child_too():
    batches = list(
        reader.prepared_batches(
            str(SAMPLE), skip_to=1500, batch_size=200, seller_pk=1, parallel=True
        )
    )
    assert [n for n, *_rest in flatten(batches)] == list(range(1501, 2001))


def test_an_unreadable_line_in_the_child_stops_the_import_with_its_row_and_keeps_what_went_in(
    mappings, seller, tmp_path
):
    lines = SAMPLE.read_bytes().splitlines(keepends=True)
    broken = tmp_path / "broken.tsv"
    # Row 1,000 is not UTF-8: the rows before it import, the job fails and says where.
    broken.write_bytes(b"".join(lines[:1000]) + b"\xff\xfe" + lines[1000] + b"".join(lines[1001:]))

    with pytest.raises(FeedError, match="UTF-8"):
        feed_import(seller=seller, path=str(broken), batch_size=250, parallel=True)

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and "UTF-8" in job.message
    assert job.last_row == 750  # three whole batches committed, then the reader's error
    assert Offer.objects.filter(seller=seller).count() == job.rows_ok > 0


def test_the_child_stops_when_the_import_stops_reading():
    batches = reader.prepared_batches(str(SAMPLE), batch_size=100, seller_pk=1, parallel=True)
    next(batches)
    children = [c for c in _children() if c.name == "galerie-import-reader"]
    assert children and all(c.is_alive() for c in children)
    batches.close()  # what an exception in the importing process does
    assert not any(c.is_alive() for c in children)


def test_the_sample_imports_the_same_in_a_child_process_as_in_process(mappings, tmp_path):
    results = {}
    for parallel in (False, True):
        seller = make_seller(slug=f"s-{parallel}")
        job = feed_import(seller=seller, path=str(SAMPLE), batch_size=400, parallel=parallel).job
        results[parallel] = (
            job.rows_ok,
            job.rows_rejected,
            sorted(job.errors.values_list("row", "code")),
            sorted(Offer.objects.filter(seller=seller).values_list("sku", "price", "stock")),
        )
    assert results[True] == results[False]
    assert results[True][0] == 1900


def test_no_child_process_is_forked_beside_other_threads():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not reader.parallel_possible()  # a large feed is then read in-process
        assert reader.start_method() == "spawn"  # and a child asked for is a fresh interpreter
    finally:
        stop.set()
        thread.join()


def test_a_spawned_reader_sets_django_up_and_keeps_the_importing_language(monkeypatch):
    monkeypatch.setattr(reader, "start_method", lambda: "spawn")
    options = {"batch_size": 500, "seller_pk": 3}
    alone = flatten(reader.prepared_batches(str(SAMPLE), parallel=False, **options))
    with translation.override("en"):
        english = flatten(reader.prepared_batches(str(SAMPLE), parallel=True, **options))
        english_alone = flatten(reader.prepared_batches(str(SAMPLE), parallel=False, **options))
    spawned = flatten(reader.prepared_batches(str(SAMPLE), parallel=True, **options))

    assert spawned == alone
    assert english == english_alone != alone  # the error messages follow the language


FORK_SCRIPT = """
import django
django.setup()
from galerie.imports import reader
assert reader.start_method() == "fork", reader.start_method()
options = {"batch_size": 300, "seller_pk": 7}
def flat(batches):
    return [(n, sku, row, [(e.row, e.code, e.message) for e in p])
            for b in batches for n, sku, row, p in b.rows]
alone = flat(reader.prepared_batches(%(path)r, parallel=False, **options))
forked = flat(reader.prepared_batches(%(path)r, parallel=True, **options))
assert forked == alone and len(alone) == 2000
assert reader.parallel_possible()
print("forked ok")
"""


def test_a_single_threaded_process_forks_its_reader():
    # The test process may run other threads (the browser tests' live server): the fork path
    # is checked in a fresh, single-threaded interpreter, as `galerie import` runs.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "galerie.settings"}
    result = subprocess.run(
        [
            sys.executable,
            "-W",
            "error:This process:DeprecationWarning",
            "-c",
            FORK_SCRIPT % {"path": str(SAMPLE)},
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "forked ok" in result.stdout


def _children():
    return multiprocessing.active_children()

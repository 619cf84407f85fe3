"""Catalogue feed import: each valid row becomes one seller's offer on a mall product.

Design, for speed with flat memory: the feed is streamed and checked by `reader` (in a child
process for a large feed, overlapping with the writes); rows are applied in batches, each batch
in one transaction with one query per lookup (products by GTIN, the seller's offers by sku, ids
already seen by the job, slugs) and bulk inserts/updates. The batch also writes its error lines,
the ids it saw and the job's `last_row`, so an interrupted import resumes exactly after the last
committed batch and a product is never committed without its offer (nor an offer without its
product). Products are matched by normalised GTIN, rows without GTIN by the seller's own id.
"""

import csv
import hashlib
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count, Min, OuterRef, Subquery
from django.utils.translation import gettext as _

from galerie.catalog.facets import category_facet_counts_add
from galerie.catalog.models import AttributeValue, Category, Product
from galerie.catalog.selectors import category_ancestor_ids
from galerie.catalog.summary import SUMMARY_FIELDS, OfferFacts, product_summary
from galerie.core import clock
from galerie.core.errors import DomainError
from galerie.core.versions import listing_key, versions_bump
from galerie.imports import bulk, staging
from galerie.imports.feeds import Feed
from galerie.imports.models import (
    ImportJob,
    ImportRowError,
    ImportRowKey,
    ImportStatus,
)
from galerie.imports.placement import REPORT_SUGGESTIONS, Catalogue
from galerie.imports.reader import PreparedRow, prepared_batches
from galerie.imports.validation import FeedRow, RowError
from galerie.inventory.services import stock_movements_record
from galerie.media.feeds import feed_images_queue
from galerie.moderation.selectors import offers_withdrawn
from galerie.pricing.services import book_price_error
from galerie.search.services import search_index_refresh
from galerie.sellers.models import Offer, Seller, offer_purchasable, offer_visible
from galerie.sellers.selectors import offers_purchasable
from galerie.sellers.services import offer_prices_record, product_offer_summary_refresh
from galerie.storefronts.models import Storefront
from galerie.storefronts.selectors import storefront_cache_clear, storefront_category_ids

BATCH_SIZE = 10_000
# PostgreSQL writes a batch through staging tables (`galerie.imports.staging`); False sends it
# down the per-table path that SQLite takes (the tests compare both on PostgreSQL).
STAGED_WRITES = True

Progress = Callable[[ImportJob, int], None]


class ImportError_(DomainError):  # noqa: N801 - ImportError is a builtin
    code = "import_failed"


@dataclass
class ImportReport:
    job: ImportJob
    dry_run: bool
    unmapped: list[tuple[str, int, str]] = field(default_factory=list)  # value, rows, suggestion
    rejected_by_code: list[tuple[str, int]] = field(default_factory=list)
    warnings: int = 0
    outside_assortment: int = 0
    categories_added: list[str] = field(default_factory=list)
    # (warning, rows): values placed in their parent path although they look like a child
    placed_in_parent: list[tuple[str, int]] = field(default_factory=list)
    categories_created: list[str] = field(default_factory=list)
    # (path the shop has, existing category it nearly duplicates): not created
    categories_not_created: list[tuple[str, str]] = field(default_factory=list)
    competing: int = 0
    competing_cheaper: int = 0
    competing_equal: int = 0
    competing_dearer: int = 0
    errors_path: str = ""


# ----------------------------------------------------------------------------- the import


def import_job_create(
    *,
    seller: Seller,
    path: str = "",
    storefront: Storefront | None = None,
    full: bool = False,
    merge: bool = False,
    create_categories: bool = False,
    upload=None,
) -> ImportJob:
    job = ImportJob(
        seller=seller,
        storefront=storefront,
        path=path,
        full=full,
        merge=merge,
        create_categories=create_categories,
    )
    if upload is not None:
        job.upload = upload
    job.save()
    return job


def feed_fingerprint(path: str) -> str:
    """Size, modification time and a hash of the first MiB: a resumed job reads the same file."""
    stat = os.stat(path)
    with open(path, "rb") as f:
        digest = hashlib.blake2b(f.read(1 << 20), digest_size=10).hexdigest()
    return f"{stat.st_size}:{stat.st_mtime_ns}:{digest}"


def import_job_resumable(*, seller: Seller, path: str) -> ImportJob | None:
    """The seller's last interrupted job on this very file, if any (automatic resumption)."""
    path = os.path.abspath(path)
    job = (
        ImportJob.objects.filter(seller=seller, path=path, status=ImportStatus.FAILED)
        .exclude(last_row=0)
        .order_by("-pk")
        .first()
    )
    try:
        if job is not None and job.fingerprint == feed_fingerprint(path):
            return job
    except OSError:
        return None
    return None


def import_job_resume(*, job: ImportJob) -> bool:
    """Move a failed job back to pending (the caller then queues it); False if it was not failed.

    One conditional UPDATE, so two clicks (or two users, in the portal and the admin) resuming
    the same job queue it once. It restarts after its last committed batch.
    """
    resumed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.FAILED).update(
        status=ImportStatus.PENDING, updated_at=clock.now()
    )
    if resumed:
        job.status = ImportStatus.PENDING
    return bool(resumed)


def feed_import(
    *,
    seller: Seller,
    path: str,
    storefront: Storefront | None = None,
    full: bool = False,
    dry_run: bool = False,
    merge: bool = False,
    create_categories: bool = False,
    errors_path: str | None = None,
    resume: ImportJob | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    parallel: bool | None = None,
) -> ImportReport:
    """Import a feed for a seller (a new job, or `resume` a failed one) and return its report.

    With dry_run everything happens inside one transaction that is rolled back at the end: the
    report is the one a real run would give, and nothing is written. `create_categories` (shop
    merges): the categories of the feed's product_type that the mall lacks are created.
    """
    path = os.path.abspath(path)  # a job may be resumed from another directory
    if dry_run:
        with transaction.atomic():
            job = import_job_create(
                seller=seller,
                path=path,
                storefront=storefront,
                full=full,
                merge=merge,
                create_categories=create_categories,
            )
            report = import_job_run(
                job=job,
                progress=progress,
                batch_size=batch_size,
                errors_path=errors_path,
                parallel=parallel,
            )
            report.dry_run = True
            transaction.set_rollback(True)
        return report
    if resume is not None:
        if resume.seller_id != seller.pk:
            raise ImportError_(_("Cet import concerne un autre vendeur."))
        job = resume
    else:
        job = import_job_create(
            seller=seller,
            path=path,
            storefront=storefront,
            full=full,
            merge=merge,
            create_categories=create_categories,
        )
    return import_job_run(
        job=job,
        progress=progress,
        batch_size=batch_size,
        errors_path=errors_path,
        parallel=parallel,
    )


def import_job_run(
    *,
    job: ImportJob,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    errors_path: str | None = None,
    parallel: bool | None = None,
) -> ImportReport:
    """Run (or resume after `job.last_row`) an import job to its end."""
    if job.status == ImportStatus.DONE:
        raise ImportError_(_("L'import n° %(n)d est déjà terminé.") % {"n": job.pk})
    seller = job.seller
    path = job.feed_path
    try:
        fingerprint = feed_fingerprint(path)
    except OSError:
        fingerprint = ""  # Feed() below reports the unreadable file
    if job.last_row and job.fingerprint and fingerprint != job.fingerprint:
        raise ImportError_(
            _(
                "Le fichier a changé depuis l'interruption de l'import n° %(n)d : "
                "relancez un import complet plutôt qu'une reprise."
            )
            % {"n": job.pk}
        )
    if connection.vendor == "sqlite":
        # Web workers keep a small page cache (settings); a bulk load dirties many index pages
        # per batch and gains from a larger one on its own connection.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-64000")
    catalogue = Catalogue(storefront=job.storefront, create=job.create_categories)
    job.status = ImportStatus.RUNNING
    job.message = ""
    job.fingerprint = fingerprint
    job.save(update_fields=["status", "message", "fingerprint", "updated_at"])
    state = _RunState(job=job, seller=seller, catalogue=catalogue)
    try:
        with Feed(path) as feed:
            job.total_bytes = feed.total_bytes
        for batch in prepared_batches(
            path,
            skip_to=job.last_row,
            batch_size=batch_size,
            seller_pk=seller.pk,
            parallel=parallel,
        ):
            job.done_bytes = batch.position
            _batch_commit(state, batch.rows)
            if progress:
                progress(job, job.last_row)
        if not job.last_row:
            # Refused rather than « done »: an empty export is a mistake, and a full import of
            # it would deactivate every offer of the seller.
            raise ImportError_(
                _(
                    "Le flux ne contient aucune ligne de produit : "
                    "rien n'a été importé ni désactivé."
                )
            )
        job.done_bytes = job.total_bytes
        if progress:
            progress(job, job.last_row)
        if job.full:
            _deactivate_missing(state)
    except BaseException as exc:  # Ctrl-C too: the job must show as resumable, not running
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            message=exc.message if isinstance(exc, DomainError) else f"Erreur : {exc}",
        )
        job.status = ImportStatus.FAILED
        if isinstance(exc, DomainError):
            # The feed itself is refused: a resumption would fail the same way, so the uploaded
            # file has no further use. A crash keeps it, for the resumption.
            job.upload_delete()
        raise
    report = _report(state)
    job.status = ImportStatus.DONE
    job.finished_at = clock.now()
    job.save()
    job.upload_delete()
    if errors_path:
        errors_csv_write(job=job, path=errors_path)
        report.errors_path = errors_path
    ImportRowKey.objects.filter(job=job).delete()
    return report


@dataclass
class _RunState:
    job: ImportJob
    seller: Seller
    catalogue: Catalogue


def _batch_commit(state: _RunState, batch: list[PreparedRow]) -> None:
    with transaction.atomic():
        _batch_apply(state, batch)
        state.job.last_row = batch[-1][0]
        state.job.save()


PRODUCT_COLUMNS = [
    "title",
    "slug",
    "description",
    "product_type_id",
    "category_id",
    "gtin",
    "image_urls",
    "publisher_price",
    "is_active",
    *SUMMARY_FIELDS,
    "created_at",
    "updated_at",
]
# What a feed row sets on an existing offer: read to compare, written back when changed.
OFFER_STATE_COLUMNS = [
    "product_id",
    "price",
    "stock",
    "condition",
    "condition_note",
    "is_active",
    "delivery_price",
]
OFFER_COLUMNS = [
    "seller_id",
    "product_id",
    "sku",
    "price",
    "delivery_price",
    "condition",
    "condition_note",
    "stock",
    "lead_time_days",
    "is_active",
    "created_at",
    "updated_at",
]


@dataclass(slots=True)
class _NewProduct:
    values: list
    row: FeedRow
    id: int | None = None
    offers: int = 0


def _batch_apply(state: _RunState, batch: list[PreparedRow]) -> None:
    job, seller, catalogue = state.job, state.seller, state.catalogue
    errors: list[RowError] = []
    parsed: list[FeedRow] = []
    first_row: dict[str, int] = {}  # sku → first row in this batch
    row_skus: list[tuple[int, str, FeedRow | None]] = []
    for n, sku, row, problems in batch:
        if problems:
            errors.extend(problems)
        if sku is not None:
            row_skus.append((n, sku, row))
    skus = [sku for _n, sku, _row in row_skus if sku]
    seen_before = dict(bulk.select(ImportRowKey, ["sku", "row"], "sku", skus, job_id=job.pk))
    new_keys: list[tuple] = []
    for n, sku, row in row_skus:
        if sku:
            earlier = seen_before.get(sku) or first_row.get(sku)
            if earlier:
                errors.append(
                    RowError(
                        n,
                        "id",
                        "id_duplicate",
                        _("Identifiant « %(id)s » en double : déjà présent ligne %(row)d.")
                        % {"id": sku, "row": earlier},
                        sku[:200],
                    )
                )
                continue
            first_row[sku] = n
            new_keys.append((job.pk, sku[:64], n))
        if row is not None:
            parsed.append(row)

    # Existing offers of the seller by sku, and the products they point at.
    to_money = bulk.money_from_db
    offers_by_sku = {
        o[1]: [
            *(o[0], o[1], o[2], to_money(o[3]), o[4], o[5], o[6], bool(o[7]), to_money(o[8])),
            None if o[9] is None else to_money(o[9]),
        ]
        for o in bulk.select(
            Offer,
            ["id", "sku", *OFFER_STATE_COLUMNS, "regular_price"],
            "sku",
            [row.sku for row in parsed],
            seller_id=seller.pk,
            # The partial unique index's own condition, verbatim: SQLite's planner only uses
            # (seller, sku) when the query repeats it, else it scans all the seller's offers.
            where=f"NOT ({connection.ops.quote_name('sku')} = '')",
            for_update=True,  # stock read here is the « before » of its movement
        )
    }
    # An offer withdrawn on a notice of illegal content stays off sale whatever the feed says
    # (DSA art. 17): one query, and only when the feed names inactive offers.
    withdrawn = offers_withdrawn(offer_ids=[o[0] for o in offers_by_sku.values() if not o[7]])
    gtins = list({row.gtin for row in parsed if row.gtin})
    product_fields = ["id", "gtin", "product_type_id", "publisher_price", "category_id", "title"]
    products_by_gtin = {}
    products_by_id = {}
    for info in bulk.select(Product, product_fields, "gtin", gtins):
        info = (*info[:3], to_money(info[3]) if info[3] is not None else None, *info[4:])
        products_by_gtin[info[1]] = products_by_id[info[0]] = info
    need = list({o[2] for o in offers_by_sku.values()} - products_by_id.keys())
    for info in bulk.select(Product, product_fields, "id", need):
        info = (*info[:3], to_money(info[3]) if info[3] is not None else None, *info[4:])
        products_by_id[info[0]] = info

    now = clock.now()
    db_now = connection.ops.adapt_datetimefield_value(now)
    new_products: dict[str, _NewProduct] = {}  # gtin or "sku:<sku>" → pending product
    new_brands: list[tuple[_NewProduct, int, str]] = []
    new_offers: list[tuple[list, _NewProduct | None]] = []
    moved: list[tuple[list, _NewProduct]] = []  # existing offers going to a new product
    changed_offers: list[list] = []
    repriced: list[tuple[int, Decimal]] = []  # (offer id, price) for the price history
    stock_changes: list[tuple[int, int, int]] = []  # (offer id, before, after)
    touched: set[int] = set()
    matched = unchanged = 0
    accepted_rows = 0
    for row in parsed:
        existing = offers_by_sku.get(row.sku)
        pending: _NewProduct | None = None
        info = None
        if row.gtin:
            info = products_by_gtin.get(row.gtin)
            pending = new_products.get(row.gtin)
        elif existing is not None:
            info = products_by_id.get(existing[2])
        if info is not None:
            _pk, _gtin, type_id, publisher_price, _category_id, title = info
            is_book = type_id is not None and catalogue.type_info(type_id).is_book
            problem = _book_law_problem(row, is_book, publisher_price, title)
            if problem:
                errors.append(problem)
                continue
            matched += 1
        elif pending is not None:
            # A second row for a book created by an earlier row of this batch.
            is_book = catalogue.type_info(pending.values[3]).is_book
            problem = _book_law_problem(row, is_book, pending.values[7], pending.values[0])
            if problem:
                errors.append(problem)
                continue
        else:
            mapped = catalogue.map(row.categories)
            if mapped is None:
                value = " | ".join(v for v in row.categories if v)
                errors.append(
                    RowError(
                        row.row,
                        "product_type",
                        "unmapped_category",
                        unmapped_message(value, catalogue.suggest(row.categories)),
                        value[:200],
                    )
                )
                continue
            category_id, type_id, note = mapped
            if note:
                value = " | ".join(v for v in row.categories if v)
                errors.append(
                    RowError(row.row, "product_type", "category_parent", note, value[:200], True)
                )
            type_info = catalogue.type_info(type_id)
            if not row.gtin and type_info.gtin_required:
                errors.append(
                    RowError(
                        row.row,
                        "gtin",
                        "gtin_required",
                        _("GTIN (EAN, ISBN) manquant : obligatoire pour le type « %(t)s ».")
                        % {"t": type_info.name},
                    )
                )
                continue
            # The list price of a new book in France is its publisher's price (loi Lang).
            publisher_price = (
                row.list_price if type_info.is_book and row.condition == "new" else None
            )
            # Its sale price, too, lies within the law's range of that list price.
            problem = _book_law_problem(row, type_info.is_book, publisher_price, row.title)
            if problem:
                errors.append(problem)
                continue
            delivery = row.delivery_price if row.delivery_price is not None else Decimal("0.00")
            money = {"price": row.price, "delivery_price": delivery}
            summary = product_summary(
                [
                    OfferFacts(
                        row.price,
                        row.condition,
                        seller.pk,
                        visible=offer_visible(is_active=True, seller_status=seller.status, **money),
                        purchasable=offer_purchasable(
                            is_active=True, stock=row.stock, seller_status=seller.status, **money
                        ),
                    )
                ]
            )
            pending = _NewProduct(
                values=[
                    row.title,
                    row.slug,
                    row.description,
                    type_id,
                    category_id,
                    row.gtin,
                    # json.dumps of a str is one C call; of a list, the encoder machinery.
                    f"[{json.dumps(row.image_url)}]" if row.image_url else "[]",
                    publisher_price,
                    True,
                    # Summary of its single offer, as product_offer_summary_refresh computes it.
                    *(summary[f] for f in SUMMARY_FIELDS),
                    db_now,
                    db_now,
                ],
                row=row,
            )
            new_products[row.gtin or f"sku:{row.sku}"] = pending
            if row.brand and type_info.brand_attribute_id:
                new_brands.append((pending, type_info.brand_attribute_id, row.brand))
        accepted_rows += 1
        if pending is not None:
            pending.offers += 1
        if existing is not None:
            # [pk, sku, product_id, price, stock, condition, note, is_active, delivery_price,
            #  regular_price]
            old = list(existing)
            existing[2] = info[0] if info is not None else None
            # The feed's price is the seller's regular one: while a promotion holds the offer
            # down, the same price leaves it held; another ends the hold (sellers.offer_update).
            if existing[9] is None or row.price != existing[9]:
                existing[3], existing[9] = row.price, None
            existing[4] = row.stock
            existing[5], existing[6] = row.condition, row.condition_note
            existing[7] = existing[0] not in withdrawn
            if row.delivery_price is not None:
                existing[8] = row.delivery_price
            if existing != old:
                changed_offers.append(existing)
                if existing[3] != old[3]:
                    repriced.append((existing[0], existing[3]))
                if existing[4] != old[4]:
                    stock_changes.append((existing[0], old[4], existing[4]))
                touched.add(old[2])
                if existing[2] is None:
                    moved.append((existing, pending))  # product id known after the insert
                else:
                    touched.add(existing[2])
            else:
                unchanged += 1
        else:
            values = [
                seller.pk,
                info[0] if info is not None else None,
                row.sku,
                row.price,
                row.delivery_price if row.delivery_price is not None else Decimal("0.00"),
                row.condition,
                row.condition_note,
                row.stock,
                2,
                True,
                db_now,
                db_now,
            ]
            if info is not None:
                touched.add(info[0])
            new_offers.append((values, pending))

    if connection.vendor == "postgresql" and STAGED_WRITES:
        _writes_staged(
            new_products=new_products,
            new_brands=new_brands,
            new_offers=new_offers,
            moved=moved,
            changed_offers=changed_offers,
            repriced={pk for pk, _price in repriced},
            touched=touched,
            now=now,
            db_now=db_now,
        )
    else:
        _writes_direct(
            new_products=new_products,
            new_brands=new_brands,
            new_offers=new_offers,
            moved=moved,
            changed_offers=changed_offers,
            repriced=repriced,
            touched=touched,
            now=now,
            db_now=db_now,
        )
    if stock_changes:
        # Every stock change has its movement, written with the batch that set it.
        stock_movements_record(
            changes=stock_changes,
            reason=_("Import de flux n° %(n)d") % {"n": job.pk},
            reference=f"import-{job.pk}",
        )
    if new_keys:
        bulk.insert(ImportRowKey, ["job_id", "sku", "row"], new_keys)
    if errors:
        ImportRowError.objects.bulk_create(
            ImportRowError(
                job=job,
                row=e.row,
                column=e.column,
                code=e.code,
                message=e.message[:500],
                value=e.value[:200],
                is_warning=e.is_warning,
            )
            for e in errors
        )
    touched.discard(None)
    if new_products:
        # Inserted with their summary, past the offer services: counted in the listings' facet
        # counts here, before the refresh below moves those that received several offers.
        category_facet_counts_add(product_ids=[p.id for p in new_products.values()])
    if touched:
        ids = sorted(touched)
        product_offer_summary_refresh(product_ids=ids)
    if new_products:
        categories = category_ancestor_ids({p.values[4] for p in new_products.values()})
        versions_bump([listing_key(c) for c in categories])
    if touched or new_products:
        search_index_refresh(product_ids=touched.union(p.id for p in new_products.values()))

    job.rows_ok += accepted_rows
    job.rows_rejected += len({e.row for e in errors if not e.is_warning})
    job.products_created += len(new_products)
    job.products_matched += matched
    job.offers_created += len(new_offers)
    job.offers_updated += len(changed_offers)
    job.offers_unchanged += unchanged


def _new_product_ids(pendings: list[_NewProduct], touched: set[int]) -> None:
    """Free slugs and ids (from the table's sequence) for the batch's new products."""
    slugs = [p.values[1] for p in pendings]
    taken = {r[0] for r in bulk.select(Product, ["slug"], "slug", slugs)}
    for p in pendings:
        if p.values[1] in taken:
            p.values[1] += "-" + hashlib.blake2b(p.values[1].encode(), digest_size=3).hexdigest()
    for p, pk in zip(pendings, bulk.sequence_ids(Product, len(pendings)), strict=True):
        p.id = pk
        if p.offers > 1:
            touched.add(pk)  # its precomputed summary counted one offer


def _writes_direct(
    *,
    new_products: dict[str, _NewProduct],
    new_brands: list[tuple[_NewProduct, int, str]],
    new_offers: list[tuple[list, _NewProduct | None]],
    moved: list[tuple[list, _NewProduct]],
    changed_offers: list[list],
    repriced: list[tuple[int, Decimal]],
    touched: set[int],
    now,
    db_now,
) -> None:
    """The batch's writes on SQLite (one prepared statement per table, run for every row); on
    PostgreSQL, COPY straight into each table."""
    if new_products:
        pendings = list(new_products.values())
        slugs = [p.values[1] for p in pendings]
        taken = {r[0] for r in bulk.select(Product, ["slug"], "slug", slugs)}
        for p in pendings:
            if p.values[1] in taken:
                p.values[1] += (
                    "-" + hashlib.blake2b(p.values[1].encode(), digest_size=3).hexdigest()
                )
        ids = bulk.insert(
            Product, PRODUCT_COLUMNS, [tuple(p.values) for p in pendings], returning=True
        )
        for p, pk in zip(pendings, ids, strict=True):
            p.id = pk
            if p.offers > 1:
                touched.add(pk)  # its precomputed summary counted one offer
    if new_products:
        # The feed's picture is fetched and checked in the background, never linked to.
        feed_images_queue(links=[(p.id, p.row.image_url) for p in new_products.values()])
    if new_brands:
        bulk.insert(
            AttributeValue,
            ["product_id", "attribute_id", "value_text", "facet_value"],
            [(p.id, attribute_id, brand, brand) for p, attribute_id, brand in new_brands],
        )
    if new_offers:
        inserts = []
        for values, pending in new_offers:
            if pending is not None:
                values[1] = pending.id
            inserts.append(tuple(values))
        ids = bulk.insert(Offer, OFFER_COLUMNS, inserts, returning=True)
        repriced.extend((pk, values[3]) for pk, values in zip(ids, inserts, strict=True))
    for existing, pending in moved:
        existing[2] = pending.id
    if changed_offers:
        bulk.update_by_pk(
            Offer,
            [*OFFER_STATE_COLUMNS, "regular_price", "updated_at"],
            [(*o[2:10], db_now, o[0]) for o in changed_offers],
        )
    offer_prices_record(prices=repriced, at=now)


def _writes_staged(
    *,
    new_products: dict[str, _NewProduct],
    new_brands: list[tuple[_NewProduct, int, str]],
    new_offers: list[tuple[list, _NewProduct | None]],
    moved: list[tuple[list, _NewProduct]],
    changed_offers: list[list],
    repriced: set[int],
    touched: set[int],
    now,
    db_now,
) -> None:
    """The batch's writes on PostgreSQL: COPY into staging tables, then set-based statements
    (`galerie.imports.staging`); the price history is written there too."""
    brands = {id(p): (attribute_id, brand) for p, attribute_id, brand in new_brands}
    pendings = list(new_products.values())
    if pendings:
        _new_product_ids(pendings, touched)
    inserted = staging.stage_products(
        PRODUCT_COLUMNS,
        [(p.id, *p.values, *brands.get(id(p), (None, None))) for p in pendings],
    )
    if len(inserted) != len(pendings):
        # A concurrent import created some of these GTINs first: their offers go to that
        # product, whose summary is then recomputed.
        lost = {key: p for key, p in new_products.items() if p.id not in inserted}
        existing = staging.products_by_gtin([p.values[5] for p in lost.values()])
        for key, p in lost.items():
            touched.discard(p.id)
            p.id = existing[p.values[5]]
            touched.add(p.id)
            del new_products[key]
    if new_products:
        # The feed's picture is fetched and checked in the background, never linked to.
        feed_images_queue(links=[(p.id, p.row.image_url) for p in new_products.values()])
    for existing, pending in moved:
        existing[2] = pending.id
    staging.stage_offers(
        new=[
            (
                None,
                v[0],
                pending.id if pending is not None else v[1],
                v[2],
                v[3],
                v[4],
                v[5],
                v[6],
                v[7],
                True,
                None,
                True,
            )
            for v, pending in new_offers
        ],
        # [pk, sku, product_id, price, stock, condition, note, is_active, delivery_price,
        #  regular_price] → STAGE_OFFER_COLUMNS
        changed=[
            (o[0], None, o[2], o[1], o[3], o[8], o[5], o[6], o[4], o[7], o[9], o[0] in repriced)
            for o in changed_offers
        ],
        at=now,
        db_now=db_now,
    )


def _book_law_problem(
    row: FeedRow, is_book: bool, publisher_price: Decimal | None, title: str
) -> RowError | None:
    """The pricing service's own loi Lang check (`book_price_error`), as a row error."""
    error = book_price_error(
        is_book=is_book,
        publisher_price=publisher_price,
        title=title,
        price=row.price,
        condition=row.condition,
    )
    if error is None:
        return None
    column = "sale_price" if row.price != row.list_price else "price"
    return RowError(row.row, column, error.code, error.message, str(row.price))


def _deactivate_missing(state: _RunState) -> None:
    """A full feed lists all the seller's offers: those absent are deactivated, never deleted."""
    job = state.job
    missing = (
        Offer.objects.filter(seller=state.seller, is_active=True)
        .exclude(sku="")
        .exclude(sku__in=ImportRowKey.objects.filter(job=job).values("sku"))
    )
    while True:
        with transaction.atomic():
            chunk = list(missing.values_list("pk", "product_id")[:BATCH_SIZE])
            if not chunk:
                break
            Offer.objects.filter(pk__in=[pk for pk, _p in chunk]).update(
                is_active=False, updated_at=clock.now()
            )
            product_ids = sorted({p for _pk, p in chunk})
            product_offer_summary_refresh(product_ids=product_ids)
            search_index_refresh(product_ids=product_ids)
            job.offers_deactivated += len(chunk)
            job.save(update_fields=["offers_deactivated", "updated_at"])


def _job_offers(job: ImportJob):
    return Offer.objects.filter(
        seller_id=job.seller_id, sku__in=ImportRowKey.objects.filter(job=job).values("sku")
    )


def _report(state: _RunState) -> ImportReport:
    job = state.job
    report = ImportReport(job=job, dry_run=False)
    rows = (
        ImportRowError.objects.filter(job=job)
        .values("code", "is_warning")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    for r in rows:
        if r["is_warning"]:
            report.warnings += r["n"]
        else:
            report.rejected_by_code.append((r["code"], r["n"]))
    report.unmapped = [
        (
            r["value"],
            r["n"],
            state.catalogue.suggest(
                tuple(r["value"].split(" | ")), bounded=rank >= REPORT_SUGGESTIONS
            ),
        )
        for rank, r in enumerate(
            ImportRowError.objects.filter(job=job, code="unmapped_category")
            .values("value")
            .annotate(n=Count("id"))
            .order_by("-n", "value")
        )
    ]
    report.placed_in_parent = [
        (r["message"], r["n"])
        for r in ImportRowError.objects.filter(job=job, code="category_parent")
        .values("value")
        .annotate(n=Count("id"), message=Min("message"))
        .order_by("-n", "value")
    ]
    report.categories_created = list(state.catalogue.created)
    report.categories_not_created = sorted(state.catalogue.not_created.items())
    storefront = job.storefront
    if storefront is not None:
        assortment = set(storefront_category_ids(storefront))
        # From the database rather than memory: a resumed job brought categories before, too.
        brought = set(
            Product.objects.filter(pk__in=_job_offers(job).values("product_id"))
            .values_list("category_id", flat=True)
            .distinct()
        )
        outside = sorted(brought - assortment)
        if job.merge and outside:
            storefront.categories.add(*outside)
            storefront_cache_clear(storefront_id=storefront.pk)
            report.categories_added = list(
                Category.objects.filter(pk__in=outside).values_list("name", flat=True)
            )
        elif outside:
            report.outside_assortment = (
                _job_offers(job).filter(product__category_id__in=outside).count()
            )
    if job.merge:
        other_best = (
            offers_purchasable()
            .filter(product=OuterRef("product"))
            .exclude(seller_id=job.seller_id)
            .values("product")
            .annotate(best=Min("price"))
            .values("best")
        )
        for price, best in (
            _job_offers(job)
            .filter(is_active=True)
            .annotate(other=Subquery(other_best))
            .filter(other__isnull=False)
            .values_list("price", "other")
            .iterator(chunk_size=BATCH_SIZE)
        ):
            report.competing += 1
            if price < best:
                report.competing_cheaper += 1
            elif price == best:
                report.competing_equal += 1
            else:
                report.competing_dearer += 1
    return report


def unmapped_message(value: str, suggestion: str) -> str:
    """The row error of a category value that names no category, with the closest one if any."""
    if suggestion:
        return _(
            "Catégorie non reconnue « %(v)s » — vouliez-vous dire « %(s)s » ? Corrigez la "
            "valeur dans le flux, ou ajoutez une correspondance de catégorie "
            "(Imports › Correspondances de catégories)."
        ) % {"v": value or _("(vide)"), "s": suggestion}
    return _(
        "Catégorie non reconnue « %(v)s » : ajoutez une correspondance "
        "de catégorie (Imports › Correspondances de catégories)."
    ) % {"v": value or _("(vide)")}


ERROR_COLUMNS = ["ligne", "colonne", "code", "motif", "valeur", "gravite"]


def errors_csv_write(*, job: ImportJob, path: str | Path | None, out=None) -> int:
    """Write the job's error report as CSV (UTF-8 with BOM for spreadsheets) to `path` or `out`.

    Returns the number of lines.
    """
    if out is None:
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            return errors_csv_write(job=job, path=None, out=f)
    if not isinstance(out, io.TextIOBase):
        out.write("\ufeff")  # an HTTP response: the BOM lets spreadsheets read UTF-8
    writer = csv.writer(out)
    writer.writerow(ERROR_COLUMNS)
    count = 0
    for e in ImportRowError.objects.filter(job=job).order_by("row", "id").iterator(2000):
        severity = "avertissement" if e.is_warning else "rejet"
        writer.writerow([e.row, e.column, e.code, e.message, e.value, severity])
        count += 1
    return count

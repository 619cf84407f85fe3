"""PostgreSQL write path of the feed import: the batch is COPied into staging tables, then applied.

`services._batch_apply` decides, row by row and the same way on both databases, what a batch
writes (validation, matching, the book law, the summaries of new products). On PostgreSQL the
writes then go through two staging tables instead of one statement per row or per table chunk:
one `COPY` each for the batch's products and offers, then set-based statements —
`INSERT … SELECT … ON CONFLICT DO NOTHING` for new products (by GTIN, with their brand
attribute value) and new offers (by seller and sku, the partial unique index), one
`UPDATE … FROM` for the changed offers, and the price history rows (`OfferPriceChange`, what
`sellers.services.offer_prices_record` writes) inserted in the same statements, only for new
offers and offers whose stored price (read under the batch's lock) differs from the new one.

The staging tables are TEMPORARY, created in the batch's transaction and dropped at its commit
(`ON COMMIT DROP`). A staged batch is only of use inside the transaction that applies it: a killed
import resumes by reading the feed again after `job.last_row`, its last committed batch, so an
UNLOGGED table surviving the worker would hold nothing worth keeping. Temporary tables have no WAL
and live in the session's own buffers, never clash between two imports running at once, and need
no clean-up after a `kill -9` (the session's end drops them); an UNLOGGED table would need a job
column, rows deleted after every batch (dead tuples, vacuum) and a sweep after a crash.
"""

# ruff: noqa: S608 - SQL assembled from model metadata; values are bound or COPied

from django.db import connection
from django.utils.translation import gettext as _

from galerie.catalog.models import AttributeValue, Product
from galerie.imports import bulk
from galerie.sellers.models import Offer, OfferPriceChange

STAGE_PRODUCT = "galerie_import_stage_product"
STAGE_OFFER = "galerie_import_stage_offer"
# What the offer stage carries: `id` is NULL for a new offer, the offer's id for a changed one.
STAGE_OFFER_COLUMNS = [
    "id",
    "seller_id",
    "product_id",
    "sku",
    "price",
    "delivery_price",
    "condition",
    "condition_note",
    "stock",
    "is_active",
    "regular_price",
    "repriced",  # a changed offer whose price differs from the stored one
]


class StagingConflict(Exception):
    """A concurrent writer created one of the batch's offers first: the batch is rolled back (the
    job fails and is resumable, the feed kept)."""


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _q(model._meta.db_table)


def _cursor():
    return bulk.psycopg_cursor()


def stage_create(cursor, product_columns: list[str]) -> None:
    """The batch's staging tables, empty (created once per transaction, dropped at its commit;
    a dry run's batches share one transaction, hence the TRUNCATE)."""
    cols = ", ".join(_q(c) for c in ["id", *product_columns])
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGE_PRODUCT} ON COMMIT DROP AS "
        f"SELECT {cols}, NULL::bigint AS attribute_id, NULL::text AS brand "
        f"FROM {_table(Product)} WITH NO DATA"
    )
    offer_cols = ", ".join(_q(c) for c in STAGE_OFFER_COLUMNS[:-1])
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGE_OFFER} ON COMMIT DROP AS "
        f"SELECT {offer_cols}, false AS repriced FROM {_table(Offer)} WITH NO DATA"
    )
    cursor.execute(f"TRUNCATE {STAGE_PRODUCT}, {STAGE_OFFER}")


def stage_products(product_columns: list[str], rows: list[tuple]) -> set[int]:
    """COPY the new products (id, product columns…, brand attribute id, brand) into the stage,
    then insert them with their brand value; returns the ids inserted. A product whose GTIN a
    concurrent import created meanwhile is skipped (ON CONFLICT): the caller points its offers at
    the existing one."""
    with _cursor() as cursor:
        stage_create(cursor, product_columns)
        if not rows:
            return set()
        cols = ", ".join(_q(c) for c in ["id", *product_columns])
        with cursor.copy(f"COPY {STAGE_PRODUCT} ({cols}, attribute_id, brand) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        av = AttributeValue._meta.db_table
        cursor.execute(
            f"WITH ins AS (INSERT INTO {_table(Product)} ({cols}) "
            f"SELECT {cols} FROM {STAGE_PRODUCT} ORDER BY id "
            f"ON CONFLICT ({_q('gtin')}) DO NOTHING RETURNING id), "
            f"av AS (INSERT INTO {_q(av)} (product_id, attribute_id, value_text, facet_value) "
            f"SELECT s.id, s.attribute_id, s.brand, s.brand FROM {STAGE_PRODUCT} s "
            f"JOIN ins ON ins.id = s.id WHERE s.attribute_id IS NOT NULL "
            f"ON CONFLICT (product_id, attribute_id) DO NOTHING) "
            f"SELECT id FROM ins"
        )
        return {r[0] for r in cursor.fetchall()}


def products_by_gtin(gtins: list[str]) -> dict[str, int]:
    with _cursor() as cursor:
        cursor.execute(
            f"SELECT gtin, id FROM {_table(Product)} WHERE gtin = ANY(%s)", [list(gtins)]
        )
        return dict(cursor.fetchall())


def stage_offers(*, new: list[tuple], changed: list[tuple], at, db_now) -> None:
    """COPY the batch's new and changed offers (STAGE_OFFER_COLUMNS) into the stage, then apply:
    new offers inserted (each with its first price history row), changed offers updated from the
    stage, with a price history row only for those flagged `repriced` (their stored price, read
    under the lock, differs from the new one).

    Call after `stage_products`, in the same transaction, with the changed offers locked."""
    if not new and not changed:
        return
    offer, history = _table(Offer), _table(OfferPriceChange)
    with _cursor() as cursor:
        cols = ", ".join(_q(c) for c in STAGE_OFFER_COLUMNS)
        with cursor.copy(f"COPY {STAGE_OFFER} ({cols}) FROM STDIN") as copy:
            for row in new:
                copy.write_row(row)
            for row in changed:
                copy.write_row(row)
        if new:
            insert_cols = (
                "seller_id, product_id, sku, price, delivery_price, condition, condition_note, "
                "stock, is_active"
            )
            cursor.execute(
                f"WITH ins AS (INSERT INTO {offer} ({insert_cols}, lead_time_days, "
                f"created_at, updated_at) SELECT {insert_cols}, 2, %s, %s FROM {STAGE_OFFER} "
                f"WHERE id IS NULL "
                f"ON CONFLICT (seller_id, sku) WHERE NOT (sku = '') DO NOTHING "
                f"RETURNING id, price), "
                f"h AS (INSERT INTO {history} (offer_id, price, at) SELECT id, price, %s FROM ins) "
                f"SELECT count(*) FROM ins",
                [db_now, db_now, at],
            )
            if cursor.fetchone()[0] != len(new):
                # Another import of this seller wrote one of these skus since the batch read
                # them: the batch is rolled back rather than leave a new product without offer.
                raise StagingConflict(
                    _(
                        "Un autre import de ce vendeur a créé les mêmes offres pendant celui-ci : "
                        "le lot a été annulé, reprenez l'import."
                    )
                )
        if changed:
            # `repriced` compares with the price read under the batch's lock (FOR UPDATE): the
            # stored one. A self-join on the offers for the old price made the planner hash the
            # whole table, every batch.
            cursor.execute(
                f"WITH upd AS (UPDATE {offer} o SET product_id = s.product_id, price = s.price, "
                f"stock = s.stock, condition = s.condition, condition_note = s.condition_note, "
                f"is_active = s.is_active, delivery_price = s.delivery_price, "
                f"regular_price = s.regular_price, updated_at = %s "
                f"FROM {STAGE_OFFER} s WHERE s.id IS NOT NULL AND o.id = s.id "
                f"RETURNING o.id, o.price, s.repriced) "
                f"INSERT INTO {history} (offer_id, price, at) "
                f"SELECT id, price, %s FROM upd WHERE repriced",
                [db_now, at],
            )

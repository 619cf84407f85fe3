"""TEMPORARY or UNLOGGED staging table for the PostgreSQL feed import: the cost of staging a batch.

    uv run python bench/import_staging_compare.py [--batches 20] [--rows 10000]

In its own database (pgimport_staging, dropped and created), for each kind of table, `--batches`
transactions that each COPY `--rows` product-like rows into the stage and apply them with
INSERT … SELECT into a bare target table, as `galerie.imports.staging` does: the temporary table
is created in the transaction and dropped at commit (ON COMMIT DROP); the unlogged one is
created once and emptied after each batch (DELETE of the job's rows, as concurrent imports would
share it). Prints the seconds per batch of each.
"""

import argparse
import os
import time

import psycopg

DB = os.environ.get("GALERIE_BENCH_PG_DB", "pgimport_staging")
ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
COLUMNS = "id bigint, title text, slug text, gtin text, price numeric(12,2), category_id bigint"


def rows(start: int, count: int):
    for i in range(start, start + count):
        yield (i, f"Produit {i}", f"produit-{i}", f"{9780000000000 + i}", "12.50", i % 40)


def run(conn, kind: str, batches: int, size: int) -> float:
    conn.execute("DROP TABLE IF EXISTS target, stage_unlogged")
    conn.execute(f"CREATE TABLE target ({COLUMNS})")
    if kind == "unlogged":
        conn.execute(f"CREATE UNLOGGED TABLE stage_unlogged (job bigint, {COLUMNS})")
    conn.commit()
    start = time.perf_counter()
    for b in range(batches):
        with conn.cursor() as cur:
            if kind == "temp":
                cur.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS stage_temp ({COLUMNS}) ON COMMIT DROP"
                )
                table, extra = "stage_temp", ""
            else:
                table, extra = "stage_unlogged", "job, "
            with cur.copy(
                f"COPY {table} ({extra}id, title, slug, gtin, price, category_id) FROM STDIN"
            ) as copy:
                for row in rows(b * size, size):
                    copy.write_row((1, *row) if kind == "unlogged" else row)
            cur.execute(
                f"INSERT INTO target SELECT id, title, slug, gtin, price, category_id FROM {table}"
                + (" WHERE job = 1" if kind == "unlogged" else "")
            )
            if kind == "unlogged":
                cur.execute("DELETE FROM stage_unlogged WHERE job = 1")
        conn.commit()
    return (time.perf_counter() - start) / batches


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batches", type=int, default=20)
    p.add_argument("--rows", type=int, default=10_000)
    a = p.parse_args()
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB}")
        admin.execute(f"CREATE DATABASE {DB}")
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DB}") as conn:
        for kind in ("temp", "unlogged", "temp", "unlogged"):
            seconds = run(conn, kind, a.batches, a.rows)
            print(f"{kind:9s} {seconds * 1000:7.1f} ms per batch of {a.rows:,} rows")
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {DB}")


if __name__ == "__main__":
    main()

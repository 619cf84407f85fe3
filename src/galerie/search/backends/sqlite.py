"""SQLite backend: an FTS5 table (created by migration 0001) ranked with bm25.

`unicode61 remove_diacritics 2` folds case and accents on both sides, and the `prefix='2 3'`
indexes keep "as you type" prefix queries on the last word cheap.
"""

# SQL here is assembled from module constants (table names, weights) only; every value from a
# caller is a bound parameter.
# ruff: noqa: S608

import json
from collections.abc import Collection

from django.db import connection, transaction

from galerie.search.backends import CHUNK, PRODUCT_TABLE, people_sql

TABLE = "search_product_fts"

CREATE_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "title, people, description, gtin, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
DROP_SQL = f"DROP TABLE IF EXISTS {TABLE}"

# bm25 column weights, in table column order: title, people, description, gtin.
_RANK = f"bm25({TABLE}, 10.0, 4.0, 1.0, 2.0)"

# Upper bounds of the matches ranked by one search (see `search`).
CANDIDATES = 1000
TITLE_CANDIDATES = 500

_PEOPLE = people_sql("p", "' '", "group_concat")
_INSERT = (
    f"INSERT INTO {TABLE} (rowid, title, people, description, gtin) "
    f"SELECT p.id, p.title, coalesce(({_PEOPLE}), ''), "
    f"p.description, coalesce(p.gtin, '') FROM {PRODUCT_TABLE} p WHERE p.is_active"
)


def match_expression(terms: list[str]) -> str:
    """FTS5 MATCH text: every term quoted, ANDed, the last one as a prefix.

    Terms come from `galerie.search.terms.search_terms` (letters and digits only), so the quotes
    cannot be escaped from; doubling any quote anyway keeps this safe on its own.
    """
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    if len(terms[-1]) >= 2:
        quoted[-1] += "*"
    return " AND ".join(quoted)


def refresh(product_ids: list[int]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(product_ids), CHUNK):
            chunk = product_ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)
            cursor.execute(f"{_INSERT} AND p.id IN ({marks})", chunk)


def rebuild() -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        # Recreating is much faster than deleting every row of an FTS5 table one by one.
        cursor.execute(DROP_SQL)
        cursor.execute(CREATE_SQL)
        cursor.execute(_INSERT)
        count = cursor.rowcount
        cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")
    return count


def search(terms: list[str], category_ids: Collection[int] | None, limit: int) -> list[int]:
    """Best `limit` matches by bm25.

    bm25 costs a few µs a row, so a broad query ("roman", "ro…") cannot rank every match within
    the 50 ms budget (a word in most of 100,000 products took about a second). Ranked are: the
    newest `max(limit, CANDIDATES)` matches in the categories, plus the newest TITLE_CANDIDATES
    whose title holds every word (so an older product named exactly as searched still comes
    first). Below that many matches, which is most queries, the ranking is exact.
    """
    expression = match_expression(terms)
    cap = max(limit, CANDIDATES)
    restrict, restrict_params = "", []
    if category_ids is not None:
        restrict = (
            f"JOIN {PRODUCT_TABLE} p ON p.id = {TABLE}.rowid AND p.is_active "
            "AND p.category_id IN (SELECT value FROM json_each(%s))"
        )
        # One JSON parameter, however large the assortment (SQLite caps bound parameters).
        restrict_params = [json.dumps(list(category_ids))]
    candidates = (
        f"SELECT * FROM (SELECT {TABLE}.rowid AS id, {_RANK} AS score FROM {TABLE} {restrict} "
        f"WHERE {TABLE} MATCH %s ORDER BY {TABLE}.rowid DESC LIMIT %s)"
    )
    final_join = ""
    if category_ids is None:
        final_join = f"JOIN {PRODUCT_TABLE} p ON p.id = hits.id AND p.is_active"
    sql = (
        f"WITH hits AS MATERIALIZED ({candidates} UNION ALL {candidates}) "
        f"SELECT hits.id FROM hits {final_join} "
        "GROUP BY hits.id ORDER BY min(hits.score), hits.id LIMIT %s"
    )
    params = [
        *restrict_params,
        expression,
        cap,
        *restrict_params,
        f"{{title}} : ({expression})",
        TITLE_CANDIDATES,
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]

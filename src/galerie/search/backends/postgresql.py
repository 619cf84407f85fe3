"""PostgreSQL backend: a tsvector table with a GIN index (created by migration 0001), ranked with
ts_rank_cd, in the `french_unaccent` configuration (unaccent, then the French stemmer).

Weights: title A, text attributes (author, publisher, brand …) B, description C, GTIN D.
"""

# SQL here is assembled from module constants (table names, weights) only; every value from a
# caller is a bound parameter.
# ruff: noqa: S608

from collections.abc import Collection

from django.db import connection, transaction

from galerie.search.backends import CHUNK, PRODUCT_TABLE, people_sql

TABLE = "search_document"
CONFIG = "french_unaccent"

_PEOPLE = people_sql("p", "' '", "string_agg")
_VECTOR = (
    f"setweight(to_tsvector('{CONFIG}', p.title), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', coalesce(({_PEOPLE}), '')), 'B') || "
    f"setweight(to_tsvector('{CONFIG}', p.description), 'C') || "
    f"setweight(to_tsvector('{CONFIG}', coalesce(p.gtin, '')), 'D')"
)
# An upsert, not delete + insert: two concurrent refreshes of one product must not collide on
# the primary key.
_UPSERT = (
    f"INSERT INTO {TABLE} (product_id, vector) SELECT p.id, {_VECTOR} "
    f"FROM {PRODUCT_TABLE} p WHERE p.is_active AND p.id = ANY(%s) "
    "ON CONFLICT (product_id) DO UPDATE SET vector = EXCLUDED.vector"
)
_DELETE_GONE = (
    f"DELETE FROM {TABLE} d WHERE d.product_id = ANY(%s) AND NOT EXISTS ("
    f"SELECT 1 FROM {PRODUCT_TABLE} p WHERE p.id = d.product_id AND p.is_active)"
)


def tsquery_text(terms: list[str]) -> str:
    """to_tsquery text: every term quoted as a lexeme, ANDed, the last one as a prefix.

    Terms hold letters and digits only (see `galerie.search.terms`); quotes and backslashes are
    escaped anyway so this stays safe on its own.
    """
    quoted = ["'" + term.replace("\\", "\\\\").replace("'", "''") + "'" for term in terms]
    if len(terms[-1]) >= 2:
        quoted[-1] += ":*"
    return " & ".join(quoted)


def refresh(product_ids: list[int]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(product_ids), CHUNK):
            chunk = product_ids[start : start + CHUNK]
            cursor.execute(_DELETE_GONE, [chunk])
            cursor.execute(_UPSERT, [chunk])


def rebuild() -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        # DELETE rather than TRUNCATE: searches keep reading the old rows until this commits.
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} (product_id, vector) SELECT p.id, {_VECTOR} "
            f"FROM {PRODUCT_TABLE} p WHERE p.is_active"
        )
        count = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
    return count


def search(terms: list[str], category_ids: Collection[int] | None, limit: int) -> list[int]:
    params: list = [tsquery_text(terms)]
    category_filter = ""
    if category_ids is not None:
        category_filter = "AND p.category_id = ANY(%s)"
        params.append(list(category_ids))
    params.append(limit)
    sql = (
        f"SELECT d.product_id FROM {TABLE} d "
        f"JOIN {PRODUCT_TABLE} p ON p.id = d.product_id, to_tsquery('{CONFIG}', %s) q "
        f"WHERE d.vector @@ q AND p.is_active {category_filter} "
        "ORDER BY ts_rank_cd(d.vector, q) DESC, d.product_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]

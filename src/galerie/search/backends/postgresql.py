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

# Upper bounds of the matches ranked by one search (see `search`).
CANDIDATES = 1000
TITLE_CANDIDATES = 500

_PEOPLE = people_sql("p", "' '", "string_agg")
_TITLE = f"to_tsvector('{CONFIG}', p.title)"
_VECTOR = (
    f"setweight(to_tsvector('{CONFIG}', p.title), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', coalesce(({_PEOPLE}), '')), 'B') || "
    f"setweight(to_tsvector('{CONFIG}', p.description), 'C') || "
    f"setweight(to_tsvector('{CONFIG}', coalesce(p.gtin, '')), 'D')"
)
# An upsert, not delete + insert: two concurrent refreshes of one product must not collide on
# the primary key.
_UPSERT = (
    f"INSERT INTO {TABLE} (product_id, vector, title) SELECT p.id, {_VECTOR}, {_TITLE} "
    f"FROM {PRODUCT_TABLE} p WHERE p.is_active AND p.id = ANY(%s) "
    "ON CONFLICT (product_id) DO UPDATE SET vector = EXCLUDED.vector, title = EXCLUDED.title"
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
    lexemes = []
    for position, term in enumerate(terms, start=1):
        prefix = ":*" if position == len(terms) and len(term) >= 2 else ""
        lexemes.append("'" + term.replace("\\", "\\\\").replace("'", "''") + "'" + prefix)
    return " & ".join(lexemes)


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
            f"INSERT INTO {TABLE} (product_id, vector, title) SELECT p.id, {_VECTOR}, {_TITLE} "
            f"FROM {PRODUCT_TABLE} p WHERE p.is_active"
        )
        count = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
    return count


def search(terms: list[str], category_ids: Collection[int] | None, limit: int) -> list[int]:
    """Best `limit` matches by ts_rank_cd, ranking a bounded candidate set as the SQLite
    backend does (see `galerie.search.backends.sqlite.search`): the newest matches in the
    categories plus the newest whose title holds every word (its own indexed tsvector)."""
    restrict, restrict_params = "", []
    if category_ids is not None:
        restrict = (
            f"JOIN {PRODUCT_TABLE} p ON p.id = d.product_id AND p.is_active "
            "AND p.category_id = ANY(%s)"
        )
        restrict_params = [list(category_ids)]

    def candidates(column: str) -> str:
        return (
            f"(SELECT d.product_id FROM {TABLE} d {restrict} "
            f"WHERE d.{column} @@ to_tsquery('{CONFIG}', %s) ORDER BY d.product_id DESC LIMIT %s)"
        )

    sql = (
        f"WITH hits AS ({candidates('vector')} UNION {candidates('title')}) "
        f"SELECT d.product_id FROM hits JOIN {TABLE} d ON d.product_id = hits.product_id "
        f"JOIN {PRODUCT_TABLE} p ON p.id = d.product_id AND p.is_active "
        f"ORDER BY ts_rank_cd(d.vector, to_tsquery('{CONFIG}', %s)) DESC, d.product_id "
        "LIMIT %s"
    )
    query = tsquery_text(terms)
    params = [
        *restrict_params,
        query,
        max(limit, CANDIDATES),
        *restrict_params,
        query,
        TITLE_CANDIDATES,
        query,
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]

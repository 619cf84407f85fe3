"""PostgreSQL backend: a tsvector table with a GIN index (created by migration 0001), ranked with
ts_rank_cd, in the `french_unaccent` configuration (unaccent, then the French stemmer).

Weights: title A, text attributes (author, publisher, brand …) B, description C, GTIN D.
`unaccent` also splits ligatures (œ → oe). The vocabulary offered as corrections (migration 0003)
is a table of words with a pg_trgm GiST index, whose `<->` distance finds the nearest words.
"""

# SQL here is assembled from module constants (table names, weights) only; every value from a
# caller is a bound parameter.
# ruff: noqa: S608

from collections.abc import Collection

from django.db import connection, connections, transaction

from galerie.core.replica import read_alias
from galerie.search.backends import CHUNK, PRODUCT_TABLE, people_sql
from galerie.search.terms import Clause, prefix_last

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


VOCABULARY = "search_term"
# Counting a word's products stops there: enough to prefer a common correction to a rare one.
FREQUENCY_CAP = 1000


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_text(clauses: list[Clause]) -> str:
    """to_tsquery text: every clause ANDed, a clause's phrases ORed, a phrase's words ANDed, a
    lone last word as a prefix.

    Words hold letters and digits only (see `galerie.search.terms`); quotes and backslashes are
    escaped anyway so this stays safe on its own.
    """
    parts = []
    for clause in clauses:
        phrases = [" & ".join(_lexeme(word) for word in phrase) for phrase in clause]
        if len(phrases) == 1:
            parts.append(phrases[0])
        else:
            parts.append("(" + " | ".join(f"({phrase})" for phrase in phrases) + ")")
    if prefix_last(clauses):
        parts[-1] += ":*"
    return " & ".join(parts)


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
        cursor.execute(f"DELETE FROM {VOCABULARY}")
        cursor.execute(
            f"INSERT INTO {TABLE} (product_id, vector, title) SELECT p.id, {_VECTOR}, {_TITLE} "
            f"FROM {PRODUCT_TABLE} p WHERE p.is_active"
        )
        count = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
    return count


def vocabulary_add(words: list[str]) -> None:
    """Add these (folded) words to the vocabulary; words already there are skipped."""
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(words), CHUNK):
            cursor.execute(
                f"INSERT INTO {VOCABULARY} (term) SELECT unnest(%s::text[]) "
                "ON CONFLICT (term) DO NOTHING",
                [sorted(words[start : start + CHUNK])],
            )


def vocabulary_neighbours(word: str, limit: int) -> list[str]:
    """Up to `limit` vocabulary words nearest to `word` by trigram distance (GiST index)."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(
            f"SELECT term FROM {VOCABULARY} ORDER BY term <-> %s, term LIMIT %s", [word, limit]
        )
        return [row[0] for row in cursor.fetchall()]


def word_frequencies(words: list[str]) -> dict[str, int]:
    """How many indexed products match each (folded) word, stemmed, up to FREQUENCY_CAP. A
    French stop word that our list lacks ("mais") counts as common: the search ignores it, so it
    is no misspelling to correct."""
    if not words:
        return {}
    one = (
        f"(SELECT CASE WHEN numnode(to_tsquery('{CONFIG}', %s)) = 0 THEN {FREQUENCY_CAP} ELSE "
        f"(SELECT count(*) FROM (SELECT 1 FROM {TABLE} "
        f"WHERE vector @@ to_tsquery('{CONFIG}', %s) LIMIT {FREQUENCY_CAP}) s) END)"
    )
    params = [lexeme for word in words for lexeme in (_lexeme(word),) * 2]
    with connections[read_alias()].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([one] * len(words)), params)
        counts = cursor.fetchone()
    return {word: int(count) for word, count in zip(words, counts, strict=True)}


def search(clauses: list[Clause], category_ids: Collection[int] | None, limit: int) -> list[int]:
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
    query = tsquery_text(clauses)
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
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]

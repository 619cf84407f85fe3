"""SQLite backend: an FTS5 table (created by migration 0001) ranked with bm25.

`unicode61 remove_diacritics 2` folds case and accents on both sides (ligatures are split before,
by `fold_sql`), and the `prefix='2 3'` indexes keep "as you type" prefix queries on the last word
cheap. The vocabulary offered as corrections (migration 0003) is a table of words with an FTS5
`trigram` table over them, each word stored as "^word$" so that its first and last letters count.
"""

# SQL here is assembled from module constants (table names, weights) only; every value from a
# caller is a bound parameter.
# ruff: noqa: S608

import json
from collections.abc import Collection

from django.db import connection, connections, transaction

from galerie.core.replica import read_alias
from galerie.search.backends import CHUNK, PRODUCT_TABLE, people_sql
from galerie.search.terms import Clause, fold_sql, prefix_last

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
_PEOPLE_TEXT = f"coalesce(({_PEOPLE}), '')"
_INSERT = (
    f"INSERT INTO {TABLE} (rowid, title, people, description, gtin) "
    f"SELECT p.id, {fold_sql('p.title')}, {fold_sql(_PEOPLE_TEXT)}, "
    f"{fold_sql('p.description')}, coalesce(p.gtin, '') FROM {PRODUCT_TABLE} p WHERE p.is_active"
)

VOCABULARY = "search_term"
TRIGRAMS = "search_term_trigram"
TRIGRAMS_CREATE_SQL = f"CREATE VIRTUAL TABLE {TRIGRAMS} USING fts5(term, tokenize = 'trigram')"
# fts5vocab over the product index: how many products hold a word, always in step with it.
INDEX_WORDS = "search_product_vocab"


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def match_expression(clauses: list[Clause]) -> str:
    """FTS5 MATCH text: every clause ANDed, a clause's phrases ORed, a phrase's words ANDed, a
    lone last word as a prefix.

    Words come from `galerie.search.terms` (letters and digits only), so the quotes cannot be
    escaped from; doubling any quote anyway keeps this safe on its own.
    """
    parts = []
    for clause in clauses:
        phrases = [" AND ".join(_quoted(word) for word in phrase) for phrase in clause]
        if len(phrases) == 1:
            parts.append(phrases[0])
        else:
            parts.append("(" + " OR ".join(f"({phrase})" for phrase in phrases) + ")")
    if prefix_last(clauses):
        parts[-1] += "*"
    return " AND ".join(parts)


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
        cursor.execute(f"DELETE FROM {VOCABULARY}")
        cursor.execute(f"DROP TABLE IF EXISTS {TRIGRAMS}")
        cursor.execute(TRIGRAMS_CREATE_SQL)
    return count


def vocabulary_add(words: list[str]) -> None:
    """Add these (folded) words to the vocabulary; words already there are skipped."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {VOCABULARY}")
        (last,) = cursor.fetchone()
        for start in range(0, len(words), CHUNK):
            cursor.execute(
                f"INSERT OR IGNORE INTO {VOCABULARY} (term) SELECT value FROM json_each(%s)",
                [json.dumps(words[start : start + CHUNK])],
            )
        # New rows only: an INTEGER PRIMARY KEY grows past the largest id.
        cursor.execute(
            f"INSERT INTO {TRIGRAMS} (rowid, term) "
            f"SELECT id, '^' || term || '$' FROM {VOCABULARY} WHERE id > %s",
            [last],
        )


def vocabulary_neighbours(word: str, limit: int) -> list[str]:
    """Up to `limit` vocabulary words sharing the most trigrams with `word` (start and end
    marked, so "ipohne" still meets "iphone" by "^ip" and "ne$")."""
    marked = f"^{word}$"
    grams = sorted({marked[i : i + 3] for i in range(len(marked) - 2)})
    if not grams:
        return []
    expression = " OR ".join(_quoted(gram) for gram in grams)
    sql = (
        f"SELECT v.term FROM {TRIGRAMS} t JOIN {VOCABULARY} v ON v.id = t.rowid "
        f"WHERE {TRIGRAMS} MATCH %s ORDER BY t.rank LIMIT %s"
    )
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, [expression, limit])
        return [row[0] for row in cursor.fetchall()]


def word_frequencies(words: list[str]) -> dict[str, int]:
    """How many indexed products hold each (folded) word, in any column; 0 for none."""
    if not words:
        return {}
    # One equality lookup per word: fts5vocab answers `term = ?` from the index's b-tree but
    # would read every term of the index for an IN list.
    one = f"SELECT term, doc FROM {INDEX_WORDS} WHERE term = %s"
    sql = " UNION ALL ".join([one] * len(words))
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, list(words))
        found = dict(cursor.fetchall())
    return {word: int(found.get(word, 0)) for word in words}


def search(clauses: list[Clause], category_ids: Collection[int] | None, limit: int) -> list[int]:
    """Best `limit` matches by bm25.

    bm25 costs a few µs a row, so a broad query ("roman", "ro…") cannot rank every match within
    the 50 ms budget (a word in most of 100,000 products took about a second). Ranked are: the
    newest `max(limit, CANDIDATES)` matches in the categories, plus the newest TITLE_CANDIDATES
    whose title holds every word (so an older product named exactly as searched still comes
    first). Below that many matches, which is most queries, the ranking is exact.
    """
    expression = match_expression(clauses)
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
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]

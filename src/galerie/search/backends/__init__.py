"""The two search backends behind one interface, chosen by the database vendor.

Each backend module offers `refresh(product_ids)`, `rebuild() -> int`,
`search(clauses, category_ids, limit) -> list[int]` and, for corrections, `vocabulary_add(words)`,
`vocabulary_neighbours(word, limit) -> list[str]` and `word_frequencies(words) -> dict[str, int]`;
callers use `galerie.search.services` and `galerie.search.selectors`, never a backend directly.
"""

# SQL here is assembled from module constants (table names, weights) only; every value from a
# caller is a bound parameter.
# ruff: noqa: S608

from collections.abc import Iterator
from types import ModuleType

from django.db import connection

from galerie.catalog.models import Attribute, AttributeKind, AttributeValue, Product

# Attribute kinds whose values are words worth finding (author, publisher, brand, artist …).
TEXT_KINDS = (AttributeKind.TEXT.value, AttributeKind.CHOICE.value)

PRODUCT_TABLE = Product._meta.db_table
VALUE_TABLE = AttributeValue._meta.db_table
ATTRIBUTE_TABLE = Attribute._meta.db_table

# Ids are written in chunks so no statement exceeds a backend's parameter limit.
CHUNK = 1000


def backend() -> ModuleType:
    if connection.vendor == "sqlite":
        from galerie.search.backends import sqlite

        return sqlite
    if connection.vendor == "postgresql":
        from galerie.search.backends import postgresql

        return postgresql
    raise NotImplementedError(f"No search backend for database vendor {connection.vendor!r}.")


def people_sql(product_alias: str, separator_sql: str, aggregate: str) -> str:
    """Subquery: the product's text/choice attribute values joined by spaces."""
    kinds = ", ".join(f"'{kind}'" for kind in TEXT_KINDS)
    return (
        f"SELECT {aggregate}(av.facet_value, {separator_sql}) FROM {VALUE_TABLE} av "
        f"JOIN {ATTRIBUTE_TABLE} a ON a.id = av.attribute_id "
        f"WHERE av.product_id = {product_alias}.id AND a.kind IN ({kinds}) "
        "AND av.facet_value <> ''"
    )


def vocabulary_texts(product_ids: list[int] | None) -> Iterator[str]:
    """Title and text attributes of these active products (all when None), the words a
    correction may offer: descriptions are left out, their rare words would be offered too."""
    aggregate = "group_concat" if connection.vendor == "sqlite" else "string_agg"
    select = (
        f"SELECT p.id, p.title, coalesce(({people_sql('p', "' '", aggregate)}), '') "
        f"FROM {PRODUCT_TABLE} p WHERE p.is_active "
    )
    with connection.cursor() as cursor:
        if product_ids is not None:
            for start in range(0, len(product_ids), CHUNK):
                chunk = product_ids[start : start + CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"{select} AND p.id IN ({marks})", chunk)
                for _pk, title, people in cursor.fetchall():
                    yield f"{title} {people}"
            return
        last = 0
        while True:
            cursor.execute(f"{select} AND p.id > %s ORDER BY p.id LIMIT {CHUNK}", [last])
            rows = cursor.fetchall()
            for _pk, title, people in rows:
                yield f"{title} {people}"
            if len(rows) < CHUNK:
                return
            last = rows[-1][0]

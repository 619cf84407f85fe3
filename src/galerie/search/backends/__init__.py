"""The two search backends behind one interface, chosen by the database vendor.

Each backend module offers `refresh(product_ids)`, `rebuild() -> int` and
`search(terms, category_ids, limit) -> list[int]`; callers use `galerie.search.services` and
`galerie.search.selectors`, never a backend directly.
"""

# SQL here is assembled from module constants (table names, weights) only; every value from a
# caller is a bound parameter.
# ruff: noqa: S608

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

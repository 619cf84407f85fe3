"""Bulk SQL for the import: plain statements on the driver's own cursor, in Django's transaction.

The ORM compiles every value of every row in Python, and Django's cursor wrappers rewrite each
statement (SQLite: a regex turning %s into ?); for hundreds of thousands of rows that costs more
than the database's own work. Values must be database-ready (datetimes through connection.ops,
JSON as text). Table and column names come from the models only; every value is bound.
"""

# ruff: noqa: S608 - SQL assembled from model metadata; values are bound parameters

import contextlib
from decimal import Decimal

from django.db import connection

from galerie.core.money import CENT

RETURNING_ROWS = 500  # rows per multi-row INSERT … RETURNING statement


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _cursor():
    """The driver's cursor on Django's connection, and its placeholder.

    psycopg: a server-side-binding cursor, which pipelines `executemany` (Django's client-side
    binding quotes every value in Python). sqlite3: a plain cursor with `?` placeholders.
    """
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        import psycopg

        return psycopg.Cursor(connection.connection), "%s"
    return contextlib.closing(connection.connection.cursor()), "?"


def sequence_ids(model, count: int) -> list[int]:
    """`count` new ids drawn from the table's own sequence (PostgreSQL)."""
    with psycopg_cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [r[0] for r in cursor.fetchall()]


def psycopg_cursor():
    """A server-side-binding psycopg cursor on Django's connection (PostgreSQL only)."""
    import psycopg

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def insert(model, columns: list[str], rows: list[tuple], *, returning: bool = False):
    """INSERT rows; with `returning`, the new ids in the order of `rows`."""
    if not rows:
        return [] if returning else None
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    pk = quote(model._meta.pk.column)
    cursor_cm, mark = _cursor()
    one = "(" + ", ".join([mark] * len(columns)) + ")"
    with cursor_cm as cursor:
        if connection.vendor == "postgresql":
            ids = None
            if returning:
                # Ids drawn from the table's own sequence, then COPY with them: a multi-row
                # INSERT … RETURNING costs PostgreSQL four to five times as much per row.
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [model._meta.db_table, model._meta.pk.column, len(rows)],
                )
                ids = [r[0] for r in cursor.fetchall()]
                cols = f"{pk}, {cols}"
                rows = [(pk_value, *row) for pk_value, row in zip(ids, rows, strict=True)]
            # COPY: the cheapest bulk write PostgreSQL has, per row and per statement.
            with cursor.copy(f"COPY {_table(model)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return ids
        if not returning:
            # One prepared statement run for every row.
            cursor.executemany(f"INSERT INTO {_table(model)} ({cols}) VALUES {one}", rows)
            return None
        ids: list[int] = []
        for start in range(0, len(rows), RETURNING_ROWS):
            chunk = rows[start : start + RETURNING_ROWS]
            cursor.execute(
                f"INSERT INTO {_table(model)} ({cols}) "
                f"VALUES {', '.join([one] * len(chunk))} RETURNING {pk}",
                [value for row in chunk for value in row],
            )
            ids.extend(r[0] for r in cursor.fetchall())
        return ids


def update_by_pk(model, columns: list[str], rows: list[tuple]) -> None:
    """UPDATE from (value for each column…, pk) tuples, as one prepared (or pipelined) statement."""
    if not rows:
        return
    quote = connection.ops.quote_name
    cursor_cm, mark = _cursor()
    sets = ", ".join(f"{quote(c)} = {mark}" for c in columns)
    pk = quote(model._meta.pk.column)
    with cursor_cm as cursor:
        cursor.executemany(f"UPDATE {_table(model)} SET {sets} WHERE {pk} = {mark}", rows)


def select(
    model,
    columns: list[str],
    key: str,
    values: list,
    *,
    where: str = "",
    for_update: bool = False,
    **equal,
) -> list[tuple]:
    """SELECT columns WHERE key IN values (and column = value for `equal`, and `where`).

    `for_update` (PostgreSQL): the rows are locked in primary-key order, the inventory's lock
    order, so the values read are still those the batch overwrites (SQLite has one writer)."""
    if not values:
        return []
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    cursor_cm, mark = _cursor()
    extra = "".join(f" AND {quote(c)} = {mark}" for c in equal)
    if where:
        extra += f" AND {where}"
    with cursor_cm as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT {cols} FROM {_table(model)} WHERE {quote(key)} = ANY(%s){extra}"
                + (f" ORDER BY {quote(model._meta.pk.column)} FOR UPDATE" if for_update else ""),
                [list(values), *equal.values()],
            )
            return cursor.fetchall()
        rows: list[tuple] = []
        for start in range(0, len(values), 1000):
            chunk = values[start : start + 1000]
            marks = ", ".join([mark] * len(chunk))
            cursor.execute(
                f"SELECT {cols} FROM {_table(model)} WHERE {quote(key)} IN ({marks}){extra}",
                [*chunk, *equal.values()],
            )
            rows.extend(cursor.fetchall())
        return rows


def money_from_db(value) -> Decimal:
    # SQLite hands decimals back as floats (or ints); PostgreSQL as Decimal.
    if isinstance(value, Decimal):
        return value.quantize(CENT)
    return Decimal(repr(value)).quantize(CENT)

"""Write a value the model's CHECK constraints refuse, as a row written before they existed: the
legacy data that pages must survive. On SQLite the checks are switched off for the statement; on
PostgreSQL the table's CHECK constraints are dropped inside the test's transaction, which puts
them back when it rolls back (a `transaction=True` test must not use it).
"""

from decimal import Decimal

from django.db import connection, models


def legacy_update(model: type[models.Model], pk, **values) -> None:
    """UPDATE one row with raw SQL, bypassing the model's CHECK constraints."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [model._meta.get_field(name).column for name in values]
    assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:
            assert connection.in_atomic_block, "only inside the test's transaction"
            # ALTER TABLE waits for no pending deferred foreign-key check of this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for constraint in model._meta.constraints:
                if isinstance(constraint, models.CheckConstraint):
                    name = connection.ops.quote_name(constraint.name)
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
        try:
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 (names only)
                [*values.values(), pk],
            )
        finally:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
            else:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def legacy_price() -> Decimal:
    """A price beyond every bound: 1e20 on SQLite, which then cannot even load it into the
    column's 12 digits; on PostgreSQL the largest the numeric(12, 2) column holds."""
    return Decimal("1E+20") if connection.vendor == "sqlite" else Decimal("9999999999.99")

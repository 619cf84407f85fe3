"""Lines get the first day of their month, so reports group by a column instead of DATE_TRUNC.

Filling existing lines is an UPDATE that the immutability triggers refuse: they are lifted for
that statement only. Altering the column rebuilds the table on SQLite, which drops its triggers:
they are created again at the end.
"""

from django.db import migrations, models

TABLES = ["ledger_journalentry", "ledger_journalline"]
FILL = "UPDATE ledger_journalline SET month = {expr} WHERE month IS NULL"


def sqlite_triggers_create(schema_editor):
    for table in TABLES:
        schema_editor.execute(
            f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, 'ledger_immutable: UPDATE on {table} refused, post a reversal'); END;"""
        )


def months_fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE ledger_journalline DISABLE TRIGGER USER")
        schema_editor.execute(FILL.format(expr="date_trunc('month', date)::date"))
        schema_editor.execute("ALTER TABLE ledger_journalline ENABLE TRIGGER USER")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS ledger_journalline_no_update")
        schema_editor.execute(FILL.format(expr="strftime('%%Y-%%m-01', date)"))
        sqlite_triggers_create(schema_editor)
    else:
        raise NotImplementedError(vendor)


def sqlite_triggers_restore(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        sqlite_triggers_create(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_immutability_triggers_and_chart")]

    operations = [
        migrations.AddField(
            model_name="journalline",
            name="month",
            field=models.DateField(null=True, verbose_name="mois"),
        ),
        migrations.RunPython(months_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="journalline",
            name="month",
            field=models.DateField(verbose_name="mois"),
        ),
        migrations.AddIndex(
            model_name="journalline",
            index=models.Index(fields=["month", "storefront"], name="ledger_line_month_storefront"),
        ),
        migrations.RunPython(sqlite_triggers_restore, migrations.RunPython.noop),
    ]

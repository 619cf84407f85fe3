"""PostgreSQL: a title-only tsvector with its own GIN index, so "every word in the title"
candidates are one index lookup (a weight-restricted query cannot use the index alone)."""

from django.db import migrations

POSTGRES_ADD = [
    "ALTER TABLE search_document ADD COLUMN IF NOT EXISTS title tsvector NOT NULL DEFAULT ''",
    "CREATE INDEX IF NOT EXISTS search_document_title ON search_document USING gin (title)",
]
POSTGRES_DROP = ["ALTER TABLE search_document DROP COLUMN IF EXISTS title"]


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_ADD:
            schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index")]

    operations = [migrations.RunPython(add, drop)]

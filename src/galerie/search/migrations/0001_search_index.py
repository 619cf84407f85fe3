"""The search index tables, in raw SQL for the database in use.

SQLite gets an FTS5 virtual table, PostgreSQL a tsvector table with a GIN index and the
`french_unaccent` text search configuration. Neither is a Django model and neither has a foreign
key: a stale row is harmless (searches join catalog_product) and `flush` can truncate the
catalogue without knowing about these tables.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_product_fts USING fts5("
    "title, people, description, gtin, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS search_product_fts"

POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION french_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$
    """,
    "CREATE TABLE IF NOT EXISTS search_document ("
    " product_id bigint PRIMARY KEY, vector tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_document_vector ON search_document USING gin (vector)",
]
POSTGRES_DROP = [
    "DROP TABLE IF EXISTS search_document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def create(apps, schema_editor):
    _run(schema_editor, {"sqlite": [SQLITE_CREATE], "postgresql": POSTGRES_CREATE})


def drop(apps, schema_editor):
    _run(schema_editor, {"sqlite": [SQLITE_DROP], "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    initial = True

    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

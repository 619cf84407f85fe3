"""The vocabulary that corrections are drawn from, in raw SQL for the database in use.

SQLite: a word table, an FTS5 `trigram` table over its words and an `fts5vocab` view of the
product index (how many products hold a word). PostgreSQL: `pg_trgm` and a word table with a GiST
trigram index (nearest words by `<->`). Existing indexes are rebuilt: the SQLite index now stores
ligatures split ("sœurs" as "soeurs") and the vocabulary starts from the catalogue.
"""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE TABLE IF NOT EXISTS search_term (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_term_trigram USING fts5(term, tokenize = 'trigram')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_product_vocab "
    "USING fts5vocab(search_product_fts, 'row')",
]
SQLITE_DROP = [
    "DROP TABLE IF EXISTS search_product_vocab",
    "DROP TABLE IF EXISTS search_term_trigram",
    "DROP TABLE IF EXISTS search_term",
]
# CI's and the demo's PostgreSQL user may create extensions (pg_trgm is a trusted one since 13).
POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE IF NOT EXISTS search_term (term text PRIMARY KEY)",
    "CREATE INDEX IF NOT EXISTS search_term_trigram ON search_term USING gist (term gist_trgm_ops)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_term"]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def create(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})
    if apps.get_model("catalog", "Product").objects.exists():
        from galerie.search.services import search_index_rebuild

        search_index_rebuild()


def drop(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [("search", "0002_search_document_title"), ("catalog", "0011_french_labels")]

    operations = [migrations.RunPython(create, drop)]

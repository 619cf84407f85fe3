"""Database guard against changing posted entries, and the chart of accounts and journals.

PostgreSQL: a BEFORE UPDATE OR DELETE trigger on entries and lines raises. TRUNCATE stays allowed
(test flushes; emptying a whole ledger is a DBA act, not an application path).
SQLite: a BEFORE UPDATE trigger raises. DELETE is guarded by the models and query sets only,
because Django flushes SQLite test databases with DELETE FROM, which a trigger would break.
"""

from django.db import migrations

TABLES = ["ledger_journalentry", "ledger_journalline"]

PG_FORWARD = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger_immutable: %% on %% refused, post a reversal instead',
        TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
"""
    for table in TABLES
)

PG_BACKWARD = "".join(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};" for table in TABLES)
PG_BACKWARD += "DROP FUNCTION IF EXISTS ledger_refuse_change();"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, 'ledger_immutable: UPDATE on {table} refused, post a reversal'); END;"""
    for table in TABLES
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {table}_no_update;" for table in TABLES]


def triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def triggers_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


JOURNALS = [("VE", "Ventes"), ("BQ", "Banque"), ("OD", "Opérations diverses")]
ACCOUNTS = [
    ("411000", "Clients", "asset"),
    ("445660", "TVA déductible sur autres biens et services", "asset"),
    ("445710", "TVA collectée", "liability"),
    ("467100", "Vendeurs tiers - sommes encaissées pour leur compte", "liability"),
    ("511200", "Prestataire de paiement - encaissements à recevoir", "asset"),
    ("512000", "Banque", "asset"),
    ("627000", "Frais de paiement (services bancaires)", "expense"),
    ("706000", "Commissions sur ventes des vendeurs", "revenue"),
    ("707000", "Ventes de marchandises", "revenue"),
    ("708500", "Ports et frais accessoires facturés", "revenue"),
    ("709600", "Rabais, remises et ristournes accordés sur commissions", "revenue"),
    ("709700", "Rabais, remises et ristournes accordés sur ventes de marchandises", "revenue"),
    ("709800", "Rabais, remises et ristournes accordés sur ports facturés", "revenue"),
]


def chart_seed(apps, schema_editor):
    Journal = apps.get_model("ledger", "Journal")
    Account = apps.get_model("ledger", "Account")
    for code, name in JOURNALS:
        Journal.objects.get_or_create(code=code, defaults={"name": name})
    for number, name, kind in ACCOUNTS:
        Account.objects.get_or_create(
            code=number, defaults={"number": number, "name": name, "kind": kind}
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(triggers_create, triggers_drop),
        migrations.RunPython(chart_seed, migrations.RunPython.noop),
    ]

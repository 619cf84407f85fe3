"""Seed the accounts of the operator's own costs: goods sold (607), suppliers (401) and the
carrier's price of its parcels (6242). Creating them ahead keeps the first sale lock-free."""

from django.db import migrations

ACCOUNTS = [
    ("401000", "Fournisseurs", "liability"),
    ("607000", "Achats de marchandises", "expense"),
    ("624200", "Transports sur ventes", "expense"),
]


def chart_seed(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    for number, name, kind in ACCOUNTS:
        Account.objects.get_or_create(
            code=number, defaults={"number": number, "name": name, "kind": kind}
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0005_totals_by_entry_kind")]

    operations = [migrations.RunPython(chart_seed, migrations.RunPython.noop)]

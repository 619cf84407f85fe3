"""Seed the suspense account (471000) that holds the counterpart of a storefront's slice of an
entry that mixed storefronts, when the storefront's ledger is taken in from another installation
(every account of the chart is seeded, so the chart and the database agree)."""

from django.db import migrations

ACCOUNTS = [
    ("471000", "Compte d'attente - reprises de boutiques", "liability"),
]


def chart_seed(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    for number, name, kind in ACCOUNTS:
        Account.objects.get_or_create(
            code=number, defaults={"number": number, "name": name, "kind": kind}
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_chart_purchases_suppliers_carriage")]

    operations = [migrations.RunPython(chart_seed, migrations.RunPython.noop)]

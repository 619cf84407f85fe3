"""French VAT rates, effective-dated (CGI art. 278 ff.). Older rows keep past orders explainable."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

RATES = [
    ("standard", "19.6", dt.date(2000, 4, 1)),
    ("standard", "20", dt.date(2014, 1, 1)),
    ("intermediate", "7", dt.date(2012, 1, 1)),
    ("intermediate", "10", dt.date(2014, 1, 1)),
    ("reduced", "5.5", dt.date(2000, 1, 1)),
    ("super_reduced", "2.1", dt.date(2000, 1, 1)),
]


def seed(apps, schema_editor):
    TaxRate = apps.get_model("pricing", "TaxRate")
    for tax_class, rate, valid_from in RATES:
        TaxRate.objects.get_or_create(
            tax_class=tax_class, valid_from=valid_from, defaults={"rate": Decimal(rate)}
        )


def unseed(apps, schema_editor):
    TaxRate = apps.get_model("pricing", "TaxRate")
    for tax_class, _rate, valid_from in RATES:
        TaxRate.objects.filter(tax_class=tax_class, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("pricing", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

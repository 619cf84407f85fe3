from django.db import migrations


def recount(apps, schema_editor):
    """The offer rows of the precomputed counts are now one per offer mask (and per seller and
    mask) instead of one per condition, price range and seller: recount every category. Runs the
    current recount, which reads only columns this migration knows and writes its own table."""
    from galerie.catalog.facets import category_facet_counts_rebuild

    category_facet_counts_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_bounds"),
    ]

    operations = [
        migrations.RunPython(recount, migrations.RunPython.noop),
    ]

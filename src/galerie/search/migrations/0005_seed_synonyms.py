"""Default synonyms: what French shoppers type for the catalogue's own words. Editable in the
back office (Recherche › Synonymes de recherche)."""

from django.db import migrations

DEFAULTS = [
    "pc portable, ordinateur portable, laptop",
    "smartphone, téléphone portable, téléphone mobile",
    "bd, bande dessinée",
    "tv, téléviseur, télévision",
    "roman policier, polar",
    "tablette, tablette tactile",
    "appareil photo, appareil photographique",
    "livre audio, audiolivre",
    "jeu vidéo, jeux vidéo",
]


def seed(apps, schema_editor):
    synonym = apps.get_model("search", "SearchSynonym")
    for terms in DEFAULTS:
        synonym.objects.get_or_create(terms=terms)


def unseed(apps, schema_editor):
    apps.get_model("search", "SearchSynonym").objects.filter(terms__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0004_search_synonym")]

    operations = [migrations.RunPython(seed, unseed)]

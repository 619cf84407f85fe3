"""`galerie import-mappings`: paths find existing categories folded, --create never makes a near
duplicate (unless --allow-similar), and a missing type yields to the one the category's products
have."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from galerie.catalog.models import Category, ProductType
from galerie.demo.services import demo_load
from galerie.imports.models import CategoryMapping

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    demo_load(products=200)


def load(tmp_path, text, **options):
    path = tmp_path / "mappings.csv"
    path.write_text("source,category,product_type,product_type_name,is_book\n" + text)
    out = StringIO()
    call_command("import_mappings", str(path), stdout=out, **options)
    return out.getvalue()


def snapshot():
    return (
        Category.objects.count(),
        ProductType.objects.count(),
        CategoryMapping.objects.count(),
    )


def test_the_shipped_file_on_the_demo_mall_creates_no_duplicate(demo):
    categories, types = Category.objects.count(), ProductType.objects.count()
    out = StringIO()

    call_command("import_mappings", create=True, stdout=out)

    assert (Category.objects.count(), ProductType.objects.count()) == (categories, types)
    headphones = CategoryMapping.objects.select_related("category", "product_type").get(
        source="Image et son > Casques"
    )
    assert headphones.category.slug == "casques"
    assert headphones.product_type.slug == "casque"  # not a new « audio » type
    text = out.getvalue()
    assert (
        "ligne 12 : « Image et son > Casques » → catégorie existante "
        "« Image et son > Casques et écouteurs »"
    ) in text
    assert "type « audio » absent → type « Casque audio » des produits de la catégorie" in text
    assert "Correspondances : 15 créée(s), 0 mise(s) à jour." in text


def test_create_refuses_a_category_close_to_an_existing_one_and_says_how_to_force(demo, tmp_path):
    before = snapshot()

    with pytest.raises(CommandError) as raised:
        load(
            tmp_path,
            "Livres > Poésie,Livres > Poésie,livre,,1\n"
            "PC,Informatique > Ordinateurs,ordinateur-portable,,0\n",
            create=True,
        )

    message = str(raised.value)
    assert "Aucune correspondance enregistrée" in message
    assert (
        "ligne 2 : « Informatique > Ordinateurs » ressemble à la catégorie existante "
        "« Informatique > Ordinateurs portables »"
    ) in message
    assert "--allow-similar" in message
    assert snapshot() == before  # all or nothing: Poésie is not created either

    load(
        tmp_path,
        "PC,informatique > Ordinateurs,ordinateur-portable,,0\n",
        create=True,
        allow_similar=True,
    )
    created = Category.objects.get(name="Ordinateurs")
    assert created.parent.slug == "informatique"


def test_create_reuses_existing_ancestors_folded(demo, tmp_path):
    load(tmp_path, "Poésie,LIVRES > Poésie,livre,,1\n", create=True)

    poetry = Category.objects.get(name="Poésie")
    assert poetry.parent.slug == "livres"
    assert Category.objects.filter(name__iexact="livres").count() == 1
    assert CategoryMapping.objects.get().category == poetry


def test_an_unknown_path_without_create_is_refused_with_a_suggestion(demo, tmp_path):
    with pytest.raises(CommandError) as raised:
        load(tmp_path, "Laptops,Informatique > Ordinateur portable gamer,,,0\n")

    assert (
        "ligne 1 : catégorie inconnue « Informatique > Ordinateur portable gamer » — "
        "vouliez-vous dire « Informatique > Ordinateurs portables » ?"
    ) in str(raised.value)
    assert not CategoryMapping.objects.exists()

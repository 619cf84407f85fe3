"""The storefront, catalogue and sellers files of a storefront archive: a small storefront is
exported, then imported into the same database under a new slug and new host names, as a buyer
that already holds overlapping products and sellers would take it in."""

import hashlib
import json
import zipfile
from decimal import Decimal
from types import SimpleNamespace

import pytest

from galerie.carveout.archive import ArchiveError, manifest_checksum
from galerie.carveout.entities.base import ImportContext
from galerie.carveout.entities.catalogue import ProductsEntity
from galerie.carveout.export import storefront_export
from galerie.carveout.importer import storefront_import
from galerie.carveout.models import ArchiveImport
from galerie.catalog.facets import category_facet_counts_rebuild, category_facet_counts_repair
from galerie.catalog.models import AttributeValue, Product
from galerie.pricing.models import DeliveryMethod
from galerie.search.selectors import product_search_ids
from galerie.sellers.models import CommissionRule, Offer, Seller, SellerStatusEvent
from galerie.storefronts.models import Storefront, StorefrontHost, StorefrontPage
from galerie.testing.factories import (
    make_book_type,
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(db):
    books = make_category("Livres", slug="livres")
    novels = make_category("Romans", slug="romans", parent=books)
    tech = make_category("Informatique", slug="informatique")
    culture = make_storefront("culture", name="Culture", categories=[books])
    make_storefront("hightech", name="High-Tech", categories=[tech])
    StorefrontPage.objects.create(
        storefront=culture, kind="cgv", title="CGV", body="Article 1.\n\nArticle 2."
    )
    StorefrontPage.objects.create(
        storefront=culture, kind="mentions-legales", title="Mentions", body="Éditeur : Culture."
    )
    operator = make_seller("Galerie SA", slug="galerie", is_operator=True, siren="732829320")
    bouquiniste = make_seller(
        "Le Bouquiniste",
        slug="bouquiniste",
        siren="552100554",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        legal_form="sarl",
    )
    SellerStatusEvent.objects.create(
        seller=bouquiniste, from_status="applied", to_status="verified", reason="Kbis reçu"
    )
    DeliveryMethod.objects.create(seller=bouquiniste, name="Colissimo", fee=Decimal("4.90"))
    CommissionRule.objects.create(storefront=culture, category=books, rate=Decimal("10.00"))
    CommissionRule.objects.create(category=novels, rate=Decimal("12.00"))
    book = make_book_type()
    hugo = make_product(
        "Les Misérables",
        slug="les-miserables",
        category=novels,
        product_type=book,
        attributes={"author": "Victor Hugo", "publisher": "Folio"},
        description="Le grand roman de Victor Hugo.",
        publisher_price=Decimal("12.00"),
    )
    zola = make_product(
        "Germinal",
        slug="germinal",
        category=novels,
        product_type=book,
        attributes={"author": "Émile Zola", "publisher": "Folio"},
        publisher_price=Decimal("9.00"),
        weight_kg=Decimal("0.350"),
    )
    laptop = make_product("Portable", slug="portable", category=tech)
    make_offer(hugo, seller=operator, price="12.00", purchase_cost=Decimal("7.00"))
    make_offer(hugo, seller=bouquiniste, price="6.00", condition="used", sku="BQ-1")
    make_offer(zola, seller=bouquiniste, price="9.00", stock=3, sku="BQ-2")
    make_offer(laptop, seller=operator, price="799.00")
    return SimpleNamespace(**locals())


def _export(shop, tmp_path):
    path = tmp_path / "culture.zip"
    storefront_export(storefront=shop.culture, path=path)
    return path


def _counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            Storefront,
            StorefrontHost,
            StorefrontPage,
            Product,
            AttributeValue,
            Seller,
            SellerStatusEvent,
            Offer,
            DeliveryMethod,
            CommissionRule,
            ArchiveImport,
        )
    }


def _import(path, **kw):
    kw.setdefault("rename_slug", "culture-bis")
    kw.setdefault("hosts", ["culture-bis.localhost", "www.culture-bis.localhost"])
    return storefront_import(path=path, **kw)


def test_import_creates_a_new_storefront_with_its_hosts_pages_and_assortment(shop, tmp_path):
    path = _export(shop, tmp_path)

    result = _import(path)

    storefront = Storefront.objects.get(slug="culture-bis")
    assert result.storefront == storefront
    assert ArchiveImport.objects.get().storefront == storefront
    assert storefront.name == "Culture" and storefront.pk != shop.culture.pk
    assert list(storefront.hosts.values_list("hostname", "is_primary")) == [
        ("culture-bis.localhost", True),
        ("www.culture-bis.localhost", False),
    ]
    assert list(storefront.categories.all()) == [shop.books]
    assert dict(storefront.pages.values_list("kind", "body")) == {
        "cgv": "Article 1.\n\nArticle 2.",
        "mentions-legales": "Éditeur : Culture.",
    }
    # The source storefront is untouched.
    assert list(shop.culture.hosts.values_list("hostname", flat=True)) == ["culture.localhost"]


def test_the_new_storefront_answers_on_its_hosts_with_its_pages(shop, tmp_path, client):
    _import(_export(shop, tmp_path))

    home = client.get("/", HTTP_HOST="culture-bis.localhost")
    cgv = client.get("/pages/cgv/", HTTP_HOST="www.culture-bis.localhost")

    assert home.status_code == 200 and "Les Misérables" in home.content.decode()
    assert 'href="/pages/cgv/"' in home.content.decode()
    assert cgv.status_code == 200 and "Article 2." in cgv.content.decode()


def test_products_merge_by_gtin_filling_gaps_without_overwriting(shop, tmp_path):
    path = _export(shop, tmp_path)
    # The target's copy of Les Misérables: another title, no description, no weight.
    Product.objects.filter(pk=shop.hugo.pk).update(title="Misérables (Les)", description="")
    Product.objects.filter(pk=shop.zola.pk).update(weight_kg=Decimal("0.500"))
    before = Product.objects.count()

    result = _import(path)

    assert Product.objects.count() == before
    hugo, zola = Product.objects.get(pk=shop.hugo.pk), Product.objects.get(pk=shop.zola.pk)
    assert hugo.title == "Misérables (Les)"  # kept
    assert hugo.description == "Le grand roman de Victor Hugo."  # gap filled
    assert zola.weight_kg == Decimal("0.500")  # never overwritten
    assert result.report["products"]["merged"] == 2
    assert any("description" in note for note in result.report["products"]["notes"])


def test_a_product_absent_here_is_created_with_attributes_offers_and_summary(shop, tmp_path):
    path = _export(shop, tmp_path)
    gtin = shop.zola.gtin
    Offer.objects.filter(product=shop.zola).delete()
    AttributeValue.objects.filter(product=shop.zola).delete()
    Product.objects.filter(pk=shop.zola.pk).delete()
    Product.objects.create(  # another product took its slug meanwhile
        title="Autre",
        slug="germinal",
        category=shop.tech,
        product_type=shop.laptop.product_type,
        gtin=None,
    )
    category_facet_counts_rebuild()  # the deletes above went past the counts

    result = _import(path)

    zola = Product.objects.get(gtin=gtin)
    assert zola.slug == "germinal-2" and zola.title == "Germinal"
    assert zola.publisher_price == Decimal("9.00") and zola.weight_kg == Decimal("0.350")
    assert dict(
        AttributeValue.objects.filter(product=zola).values_list("attribute__code", "facet_value")
    ) == {"author": "Émile Zola", "publisher": "Folio"}
    offer = Offer.objects.get(product=zola)
    assert (offer.seller, offer.sku, offer.price, offer.stock) == (
        shop.bouquiniste,
        "BQ-2",
        Decimal("9.00"),
        3,
    )
    # Derived columns rebuilt from the imported offers, counted and searchable.
    assert (zola.in_stock, zola.best_price, zola.offer_count) == (True, Decimal("9.00"), 1)
    assert zola.offer_facets
    assert category_facet_counts_repair() == []
    assert zola.pk in product_search_ids(query="germinal")
    assert any("germinal-2" in note for note in result.report["products"]["notes"])


def test_sellers_match_by_siren_are_reported_and_only_their_gaps_filled(shop, tmp_path):
    path = _export(shop, tmp_path)
    # Here the bookseller is known by its SIRET (14 digits), without payout account.
    Seller.objects.filter(pk=shop.bouquiniste.pk).update(
        siren="55210055400013", iban="", legal_form="sas"
    )
    sellers, offers = Seller.objects.count(), Offer.objects.count()

    result = _import(path)

    assert Seller.objects.count() == sellers and Offer.objects.count() == offers
    bouquiniste = Seller.objects.get(pk=shop.bouquiniste.pk)
    assert bouquiniste.iban == "FR7630006000011234567890189"  # filled: the buyer pays it
    assert bouquiniste.legal_form == "sas"  # never overwritten
    assert bouquiniste.siren == "55210055400013"
    assert result.report["sellers"] == {
        "created": 0,
        "merged": 2,
        "notes": [
            "« Galerie SA » (l'exploitant cédant) devient l'exploitant d'ici.",
            "« Le Bouquiniste » rapproché de « Le Bouquiniste » (SIREN 552100554) ; "
            "complété : iban.",
        ],
    }
    assert SellerStatusEvent.objects.filter(seller=bouquiniste).count() == 1
    assert DeliveryMethod.objects.filter(seller=bouquiniste).count() == 1
    hugo_cost = Offer.objects.get(product=shop.hugo, seller=shop.operator).purchase_cost
    assert hugo_cost == Decimal("7.00")


def test_commission_rules_become_the_new_storefronts(shop, tmp_path):
    _import(_export(shop, tmp_path))

    storefront = Storefront.objects.get(slug="culture-bis")
    assert set(
        CommissionRule.objects.filter(storefront=storefront).values_list("category__slug", "rate")
    ) == {("livres", Decimal("10.00")), ("romans", Decimal("12.00"))}


def test_importing_the_same_archive_twice_changes_nothing(shop, tmp_path):
    path = _export(shop, tmp_path)
    _import(path)
    after_first = _counts()

    again = _import(path)

    assert again.already_done
    assert _counts() == after_first


@pytest.mark.parametrize(
    ("options", "flag"),
    [
        ({"rename_slug": None}, "--rename-slug"),
        ({"hosts": None}, "--hosts"),
        ({"hosts": ["hightech.localhost"]}, "--hosts"),
    ],
)
def test_slug_or_host_taken_here_is_refused_before_anything_is_written(
    shop, tmp_path, options, flag
):
    path = _export(shop, tmp_path)
    before = _counts()

    with pytest.raises(ArchiveError) as refused:
        _import(path, **options)

    assert flag in refused.value.message
    assert _counts() == before


def _rewrite(path, member: str, change) -> None:
    """Edit one member of an archive, recomputing its checksum and the manifest's."""
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(contents["manifest.json"])
    data = change(contents[member].decode()).encode()
    contents[member] = data
    manifest["files"][member].update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    manifest["checksum"] = manifest_checksum(manifest)
    contents["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, body in contents.items():
            archive.writestr(name, body)


def test_a_bad_value_names_the_file_and_line(shop, tmp_path):
    path = _export(shop, tmp_path)

    def bad_price(text: str) -> str:
        lines = text.splitlines()
        row = json.loads(lines[1])
        row["publisher_price"] = "douze euros"
        lines[1] = json.dumps(row)
        return "\n".join(lines) + "\n"

    _rewrite(path, "data/products.jsonl", bad_price)
    Product.objects.filter(pk__in=[shop.hugo.pk, shop.zola.pk]).update(gtin=None)

    with pytest.raises(ArchiveError) as refused:
        _import(path)

    assert "products, ligne 2" in refused.value.message
    assert "publisher_price" in refused.value.message


def test_entity_build_refuses_a_value_the_model_refuses(shop):
    ctx = ImportContext(archive_import=ArchiveImport(), manifest={})
    ctx.maps = {"product_types": {1: shop.book.pk}, "categories": {2: shop.novels.pk}}
    row = {
        "id": 9,
        "title": "Sans prix",
        "slug": "pas un slug !",
        "description": "",
        "gtin": None,
        "image_urls": [],
        "publisher_price": None,
        "weight_kg": None,
        "is_active": True,
        "created_at": "2026-01-02T10:00:00+01:00",
        "updated_at": "2026-01-02T10:00:00+01:00",
        "product_type": 1,
        "category": 2,
    }

    with pytest.raises(ArchiveError) as refused:
        ProductsEntity().build(row, ctx, line=7)

    assert refused.value.message == (
        "products, ligne 7 : valeur de « slug » invalide (pas un slug !)."
    )

"""Merging an acquired shop (report counts on the sample feed) and the export round trip."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from galerie.catalog.models import AttributeValue, Product
from galerie.imports.exports import offers_export
from galerie.imports.merge import shop_merge
from galerie.imports.models import ImportJob
from galerie.imports.reports import report_lines
from galerie.imports.services import feed_import
from galerie.imports.tests.conftest import SAMPLE
from galerie.sellers.models import Offer, Seller
from galerie.storefronts.models import Storefront
from galerie.storefronts.selectors import storefront_category_ids
from galerie.testing.factories import (
    make_offer,
    make_product,
    make_product_type,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db


def sample_rows(n):
    """The first n data rows of the sample as dicts."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1 : n + 1]]


def existing_mall(mappings):
    """A mall that already sells 10 of the sample's products (rows 1-10), at known prices."""
    from galerie.catalog.models import Category

    rival = make_seller("Concurrent", slug="concurrent")
    category = Category.objects.get(name="Romans")
    product_type = make_product_type("divers")
    rows = sample_rows(10)
    for i, row in enumerate(rows):
        ours = Decimal(
            row["sale_price"].split()[0] if row["sale_price"] else row["price"].split()[0]
        )
        # rows 0-3: rival cheaper; 4-5: same price; 6-9: rival dearer
        rival_price = ours - 1 if i < 4 else (ours if i < 6 else ours + 1)
        product = make_product(
            row["title"], gtin=row["gtin"], category=category, product_type=product_type
        )
        make_offer(product, seller=rival, price=rival_price, stock=3)
    return rival


def test_merge_report_counts_on_the_sample_feed(mappings, tmp_path):
    existing_mall(mappings)
    storefront = make_storefront("lectures")

    report = shop_merge(path=str(SAMPLE), seller_name="Boutique Rachetée", storefront=storefront)

    job = report.job
    seller = Seller.objects.get(slug="boutique-rachetee")
    assert seller.name == "Boutique Rachetée" and seller.can_sell
    assert job.products_matched == 10
    assert job.products_created == 1890
    assert job.rows_rejected == 100
    assert (report.competing, report.competing_cheaper, report.competing_equal) == (10, 4, 2)
    assert report.competing_dearer == 4
    # The categories it brings are now in the storefront's assortment.
    brought = set(
        Product.objects.filter(offers__seller=seller).values_list("category_id", flat=True)
    )
    assert brought <= set(storefront_category_ids(storefront))
    assert report.categories_added


def test_merge_dry_run_shows_the_report_and_writes_nothing(mappings, capsys):
    existing_mall(mappings)
    storefront = make_storefront("lectures")
    products, offers = Product.objects.count(), Offer.objects.count()

    call_command(
        "merge_shop",
        str(SAMPLE),
        as_seller="Boutique Rachetée",
        into="lectures",
        dry_run=True,
        no_progress=True,
    )

    out = capsys.readouterr().out
    assert "SIMULATION" in out
    assert "produits reconnus par GTIN  10" in out
    assert "produits créés ............ 1 890" in out
    assert "lignes rejetées ........... 100" in out
    assert "en concurrence avec d'autres vendeurs : 10 (moins chères : 4" in out
    assert (Product.objects.count(), Offer.objects.count()) == (products, offers)
    assert not Seller.objects.filter(slug="boutique-rachetee").exists()
    assert not storefront.categories.exists()
    assert not ImportJob.objects.exists()


def test_export_then_import_into_an_empty_mall_gives_the_same_offers(mappings, seller, tmp_path):
    feed_import(seller=seller, path=str(SAMPLE))
    offer = Offer.objects.filter(seller=seller).first()
    offer.delivery_price = Decimal("4.90")
    offer.save()

    def snapshot():
        return sorted(
            Offer.objects.filter(seller__slug=seller.slug).values_list(
                "sku",
                "product__gtin",
                "product__title",
                "product__description",
                "product__category__name",
                "product__product_type__slug",
                "price",
                "stock",
                "condition",
                "condition_note",
                "delivery_price",
                "is_active",
            )
        )

    before = snapshot()
    brands_before = sorted(AttributeValue.objects.values_list("product__gtin", "value_text"))
    exported = tmp_path / "export.tsv"
    call_command("export_offers", seller=seller.slug, output=str(exported))

    # An empty mall: no product, no offer, no seller — only its category mappings.
    AttributeValue.objects.all().delete()
    Offer.objects.all().delete()
    Product.objects.all().delete()
    ImportJob.objects.all().delete()
    Seller.objects.all().delete()
    newcomer = make_seller("Librairie du Port", slug=seller.slug)

    report = feed_import(seller=newcomer, path=str(exported))

    assert report.job.rows_rejected == 0
    assert snapshot() == before
    assert sorted(AttributeValue.objects.values_list("product__gtin", "value_text")) == (
        brands_before
    )


def test_export_writes_merchant_center_columns(mappings, seller):
    feed_import(seller=seller, path=str(SAMPLE))
    out = io.StringIO()
    count = offers_export(seller=seller, out=out)
    lines = out.getvalue().splitlines()
    assert count == 1900 and len(lines) == 1901
    header = lines[0].split("\t")
    assert header[:3] == ["id", "title", "description"] and "quantity" in header
    first = dict(zip(header, lines[1].split("\t"), strict=True))
    assert first["price"].endswith(" EUR") and first["availability"] in ("in_stock", "out_of_stock")


# --- Issue 18: a shop whose taxonomy is the mall's merges without preparation ------------------


@pytest.fixture
def demo(db):
    from galerie.demo.services import demo_load

    demo_load(products=200)


def shop_feed(path, rows):
    """A feed of (sku, product_type, google_product_category) rows, valid otherwise."""
    from stdnum import ean

    from galerie.imports.tests.test_import import HEADER

    lines = []
    for n, (sku, ptype, gcat) in enumerate(rows, start=1):
        body = f"97821{n:07d}" if "Livres" in ptype else f"30001{n:07d}"
        code = body + ean.calc_check_digit(body)
        lines.append(
            f"{sku}\tArticle {n}\tDescription\thttps://x.example/{n}\thttps://x.example/{n}.jpg"
            f"\tin_stock\t20.00 EUR\t\tMarque\t{code}\tM{n}\tnew\t{gcat}\t{ptype}\t0.3 kg\t5\n"
        )
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return str(path)


def test_a_shop_with_the_malls_taxonomy_merges_without_any_preparation(demo, tmp_path, capsys):
    from galerie.imports.models import CategoryMapping
    from galerie.imports.tests.conftest import gen_feed

    feed = gen_feed(tmp_path / "shop.tsv", rows=300, seed=11, shop="rachat")
    storefront = Storefront.objects.get(slug="galerie")

    call_command("merge_shop", str(feed), as_seller="Rachat", into="galerie", no_progress=True)

    out = capsys.readouterr().out
    assert "lignes importées .......... 300" in out
    assert "catégories non reconnues" not in out
    assert not CategoryMapping.objects.exists()
    job = ImportJob.objects.get()
    assert (job.rows_ok, job.rows_rejected) == (300, 0)
    # Laptops and phones are not in the culture storefront's assortment: merged, they join it.
    assert "catégories ajoutées à l'assortiment" in out and "Smartphones" in out
    brought = set(
        Product.objects.filter(offers__seller__slug="rachat").values_list("category", flat=True)
    )
    assert brought <= set(storefront_category_ids(storefront))


def test_create_categories_brings_the_shops_own_shelves_without_near_duplicates(demo, tmp_path):
    from galerie.catalog.models import Category

    storefront = Storefront.objects.get(slug="galerie")
    feed = shop_feed(
        tmp_path / "shop.tsv",
        [
            ("P-1", "Livres > Poésie", "Media > Books"),
            ("J-2", "Jeux vidéo > Consoles", ""),
            ("C-3", "Image et son > Casque audio", ""),
            ("O-4", "Informatique > Ordinateurs", ""),
            ("R-5", "Livres > Romans", "Media > Books"),
            ("P-6", "livres > poesie", ""),
            ("G-7", "Media > Books", ""),  # Google's taxonomy as product_type: never created
        ],
    )
    before = (Category.objects.count(), sorted(storefront.categories.values_list("pk", flat=True)))

    dry = shop_merge(
        path=feed,
        seller_name="Rachat",
        storefront=storefront,
        create_categories=True,
        dry_run=True,
    )
    assert dry.categories_created == ["Livres > Poésie", "Jeux vidéo", "Jeux vidéo > Consoles"]
    assert (
        Category.objects.count(),
        sorted(storefront.categories.values_list("pk", flat=True)),
    ) == before
    assert not Seller.objects.filter(slug="rachat").exists()

    report = shop_merge(
        path=feed, seller_name="Rachat", storefront=storefront, create_categories=True
    )

    assert report.job.rows_ok == 7
    assert report.categories_created == dry.categories_created
    assert report.categories_not_created == [
        ("Image et son > Casque audio", "Image et son > Casques et écouteurs"),
        ("Informatique > Ordinateurs", "Informatique > Ordinateurs portables"),
    ]
    assert Category.objects.count() == before[0] + 3
    poetry = Category.objects.get(name="Poésie")
    assert poetry.parent.slug == "livres"
    placed = {
        o.sku: o.product
        for o in Offer.objects.filter(seller__slug="rachat").select_related("product")
    }
    assert placed["P-1"].category == placed["P-6"].category == poetry
    # Poetry is a book like everything under Livres: reduced VAT, publisher's price.
    assert placed["P-1"].product_type.is_book
    assert placed["P-1"].publisher_price == Decimal("20.00")
    assert placed["J-2"].category.parent.name == "Jeux vidéo"
    assert placed["C-3"].category.slug == "image-et-son"
    assert placed["O-4"].category.slug == "informatique"
    assert placed["G-7"].category.slug == "livres"
    assert {"Consoles", "Informatique"} <= set(report.categories_added)
    assert placed["J-2"].category_id in storefront_category_ids(storefront)
    lines = "\n".join(report_lines(report, merge=True))
    assert "catégories créées ......... 3\n    - Livres > Poésie" in lines
    assert "« Informatique > Ordinateurs » : voir « Informatique > Ordinateurs portables »" in lines


def test_merge_exits_with_an_error_when_no_row_came_in(demo, tmp_path, capsys):
    feed = shop_feed(tmp_path / "shop.tsv", [("J-1", "Jardin > Tondeuses", "")])

    with pytest.raises(CommandError, match="Aucune ligne importée"):
        call_command("merge_shop", feed, as_seller="Rachat", into="galerie", no_progress=True)

    assert "lignes rejetées ........... 1" in capsys.readouterr().out

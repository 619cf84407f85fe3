"""Feeds whose categories are the mall's own map without a mapping table (issue 18): the sample
feed on the demo mall, product types chosen for auto-mapped categories (books stay books),
explicit mappings first, parent fallback, storefront preference, suggestions for near misses,
and the import command failing when nothing came in."""

import csv
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from stdnum import ean

from galerie.catalog.models import Category
from galerie.demo.services import demo_load
from galerie.imports.models import CategoryMapping, ImportJob, ImportRowError, ImportStatus
from galerie.imports.reports import report_lines
from galerie.imports.services import feed_import
from galerie.imports.tests.conftest import SAMPLE
from galerie.imports.tests.test_import import HEADER
from galerie.pricing.services import vat_rate
from galerie.sellers.models import Offer
from galerie.storefronts.models import Storefront
from galerie.testing.factories import make_category, make_seller

pytestmark = pytest.mark.django_db

DEMO_PRODUCTS = 400


@pytest.fixture
def demo(db):
    """The demo mall as `galerie loaddemo` leaves it: its tree, types, products; no mapping."""
    demo_load(products=DEMO_PRODUCTS)
    assert not CategoryMapping.objects.exists()


def gtin(n: int, *, book: bool = False) -> str:
    body = f"97820{n:07d}" if book else f"30000{n:07d}"
    return body + ean.calc_check_digit(body)


def line(sku, ptype, gcat="", *, title="Article", price="20.00 EUR", code=None, book=False):
    code = code if code is not None else gtin(int(sku.split("-")[-1]), book=book)
    return (
        f"{sku}\t{title}\tDescription\thttps://x.example/{sku}\thttps://x.example/{sku}.jpg"
        f"\tin_stock\t{price}\t\tMarque\t{code}\tM1\tnew\t{gcat}\t{ptype}\t0.3 kg\t5\n"
    )


def write(path, lines):
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return str(path)


def placed(sku):
    product = Offer.objects.select_related("product__category", "product__product_type").get(
        sku=sku
    )
    category = product.product.category
    return f"{category.parent.name} > {category.name}", product.product.product_type.slug


def test_the_sample_feed_imports_into_the_demo_mall_without_any_mapping(demo, tmp_path):
    seller = make_seller("Boutique", slug="boutique")
    categories = Category.objects.count()
    errors = tmp_path / "errors.csv"

    report = feed_import(seller=seller, path=str(SAMPLE), errors_path=str(errors))

    job = report.job
    # The 100 faulty rows of the sample, and nothing else.
    assert (job.rows_ok, job.rows_rejected) == (1900, 100)
    assert report.unmapped == []
    assert not ImportRowError.objects.filter(job=job, code="unmapped_category").exists()
    assert Category.objects.count() == categories and not CategoryMapping.objects.exists()
    # Each shop path lands on the demo's category and its products' type.
    assert placed("boutique-rachetee-00000001") == ("Livres > Romans", "livre")
    by_shop_path = {}
    with open(SAMPLE, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if Offer.objects.filter(sku=row["id"]).exists():
                by_shop_path.setdefault(row["product_type"], placed(row["id"]))
    assert by_shop_path == {
        "Livres > Romans": ("Livres > Romans", "livre"),
        "Livres > Jeunesse": ("Livres > Jeunesse", "livre"),
        "Musique > CD": ("Musique > CD", "musique"),
        "Vidéo > Blu-ray": ("Vidéo > Blu-ray", "video"),
        "Informatique > Ordinateurs portables": (
            "Informatique > Ordinateurs portables",
            "ordinateur-portable",
        ),
        "Téléphonie > Smartphones": ("Téléphonie > Smartphones", "smartphone"),
        "Image et son > Casques": ("Image et son > Casques et écouteurs", "casque"),
        "Électroménager > Lave-linge": ("Électroménager > Lave-linge", "lave-linge"),
    }


def test_books_mapped_on_their_own_keep_the_book_law_and_reduced_vat(demo, tmp_path):
    seller = make_seller("Boutique", slug="boutique")
    feed = write(
        tmp_path / "f.tsv",
        [
            line("B-1", "Livres > Romans", "Media > Books", price="18.00 EUR", book=True),
            # A new book below the publisher's price by more than 5 %: the law refuses it.
            line("B-2", "Livres > Romans", "", price="10.00 EUR", book=True).replace(
                "\t\tMarque", "\t9.00 EUR\tMarque"
            ),
        ],
    )

    report = feed_import(seller=seller, path=feed)

    book = Offer.objects.get(sku="B-1").product
    assert book.product_type.is_book and book.publisher_price == Decimal("18.00")
    assert vat_rate(tax_class=book.product_type.tax_class) == Decimal("5.5")
    assert ImportRowError.objects.get(job=report.job).code == "book_price_law"


def test_a_mall_without_products_still_types_books_as_books(seller, tmp_path):
    """No product, no type yet: the Google category « Media > Books » says the row is a book, so
    a book type is created rather than selling it as a generic product at 20 % VAT."""
    livres = make_category("Livres")
    romans = make_category("Romans", parent=livres)
    feed = write(
        tmp_path / "f.tsv",
        [
            line("B-1", "Livres > Romans", "Media > Books", book=True),
            line("X-2", "Livres", "", code=gtin(2)),
        ],
    )

    feed_import(seller=seller, path=feed)

    book = Offer.objects.get(sku="B-1").product
    assert book.category == romans
    assert book.product_type.is_book and book.product_type.tax_class == "reduced"
    assert book.publisher_price == Decimal("20.00")
    # A row that only says « Livres » is placed there; the only books known are of that type.
    other = Offer.objects.get(sku="X-2").product
    assert other.category == livres and other.product_type == book.product_type


def test_explicit_mappings_win_and_deeper_paths_fall_back_to_their_parent(demo, tmp_path):
    seller = make_seller("Boutique", slug="boutique")
    essais = Category.objects.get(slug="essais")
    CategoryMapping.objects.create(source="livres > romans", category=essais)
    feed = write(
        tmp_path / "f.tsv",
        [
            line("R-1", "Livres > Romans", "Media > Books", book=True),
            line("R-2", "Livres > Jeunesse > Albums", "", book=True),
            line("R-3", "Livres > Jeunesse > Policier", "", book=True),
            line("R-4", "Image et son > Casques > Sans fil", ""),
            line("R-5", "Culture > Livres > Policiers", "", book=True),
        ],
    )

    feed_import(seller=seller, path=feed)

    # The operator's mapping wins (without a type: the generic one, as documented).
    assert placed("R-1") == ("Livres > Essais", "generique")
    assert placed("R-2") == ("Livres > Jeunesse", "livre")
    # « Policier » names « Policiers et thrillers », which is not below Jeunesse: the parent.
    assert placed("R-3") == ("Livres > Jeunesse", "livre")
    assert placed("R-4") == ("Image et son > Casques et écouteurs", "casque")
    assert placed("R-5") == ("Livres > Policiers et thrillers", "livre")


def test_a_storefront_import_prefers_its_own_category_among_namesakes(demo, tmp_path):
    seller = make_seller("Boutique", slug="boutique")
    for parent in ("musique", "informatique"):
        make_category("Accessoires", parent=Category.objects.get(slug=parent))
    feed = write(tmp_path / "f.tsv", [line("A-1", "Accessoires", "")])

    report = feed_import(seller=seller, path=feed)
    assert report.job.rows_rejected == 1 and report.unmapped[0][0] == "Accessoires"

    feed_import(seller=seller, path=feed, storefront=Storefront.objects.get(slug="hightech"))
    assert placed("A-1")[0] == "Informatique > Accessoires"


def test_near_misses_are_suggested_in_the_row_error_the_summary_and_the_csv(demo, tmp_path, capsys):
    seller = make_seller("Boutique", slug="boutique")
    feed = write(
        tmp_path / "f.tsv",
        [
            line("C-1", "Audio > Casque audio", ""),
            line("C-2", "Audio > Casque audio", ""),
            line("J-3", "Jardin > Tondeuses", ""),
            line("R-4", "Livres > Romans", "", book=True),
        ],
    )
    errors = tmp_path / "errors.csv"

    call_command("import", feed, seller=seller.slug, errors=str(errors), no_progress=True)

    out = capsys.readouterr().out
    suggestion = "vouliez-vous dire « Image et son > Casques et écouteurs » ?"
    assert f"« Audio > Casque audio » : 2 lignes — {suggestion}" in out
    assert "« Jardin > Tondeuses » : 1 ligne\n" in out
    job = ImportJob.objects.get()
    message = ImportRowError.objects.get(job=job, row=1).message
    assert message.startswith(f"Catégorie non reconnue « Audio > Casque audio » — {suggestion}")
    assert "vouliez-vous dire" not in ImportRowError.objects.get(job=job, row=3).message
    with open(errors, encoding="utf-8-sig", newline="") as f:
        rows = {int(r["ligne"]): r for r in csv.DictReader(f)}
    assert suggestion in rows[2]["motif"] and rows[2]["code"] == "unmapped_category"
    assert list(Offer.objects.filter(seller=seller).values_list("sku", flat=True)) == ["R-4"]


def test_a_value_placed_in_its_parent_that_looks_like_a_child_is_flagged(demo, tmp_path):
    seller = make_seller("Boutique", slug="boutique")
    feed = write(
        tmp_path / "f.tsv",
        [
            line("C-1", "Image et son > Casque audio", ""),
            line("P-2", "Informatique > Ordinateur portable gamer", ""),
            line("R-3", "Livres > Romans > Poches", "", book=True),
        ],
    )

    report = feed_import(seller=seller, path=feed)

    # Imported, in the parent path, as ever …
    assert report.job.rows_ok == 3 and report.unmapped == []
    assert Offer.objects.get(sku="C-1").product.category.slug == "image-et-son"
    assert Offer.objects.get(sku="P-2").product.category.slug == "informatique"
    # … with a warning naming the child it looks like (none for a shelf the mall lacks).
    warnings = dict(
        ImportRowError.objects.filter(job=report.job, code="category_parent").values_list(
            "row", "message"
        )
    )
    assert warnings == {
        1: "Catégorie « Image et son > Casque audio » non reconnue : produit classé dans "
        "« Image et son ». Vouliez-vous dire « Image et son > Casques et écouteurs » ?",
        2: "Catégorie « Informatique > Ordinateur portable gamer » non reconnue : produit "
        "classé dans « Informatique ». Vouliez-vous dire « Informatique > Ordinateurs "
        "portables » ?",
    }
    assert report.warnings == 2
    assert report.placed_in_parent == [(warnings[1], 1), (warnings[2], 1)]
    lines = report_lines(report)
    assert "  classés dans la catégorie parente (à vérifier) :" in lines
    assert f"    - {warnings[1]} (1 ligne)" in lines


def test_import_exits_with_an_error_when_every_row_is_rejected(demo, tmp_path, capsys):
    seller = make_seller("Boutique", slug="boutique")
    feed = write(tmp_path / "f.tsv", [line("J-1", "Jardin > Tondeuses", "")])
    errors = tmp_path / "errors.csv"

    with pytest.raises(
        CommandError, match="Aucune ligne importée : la ligne du flux a été rejetée"
    ):
        call_command("import", feed, seller=seller.slug, errors=str(errors), no_progress=True)

    # The report is printed and the error file written all the same.
    assert "lignes rejetées ........... 1" in capsys.readouterr().out
    assert "unmapped_category" in errors.read_text(encoding="utf-8-sig")
    assert ImportJob.objects.get().status == ImportStatus.DONE
    with pytest.raises(CommandError, match="Aucune ligne importée"):
        call_command("import", feed, seller=seller.slug, dry_run=True, no_progress=True)


def test_a_feed_without_any_row_is_refused_and_a_full_import_of_it_deactivates_nothing(
    demo, tmp_path
):
    seller = make_seller("Boutique", slug="boutique")
    feed = write(tmp_path / "f.tsv", [line("R-1", "Livres > Romans", "", book=True)])
    call_command("import", feed, seller=seller.slug, no_progress=True, stdout=StringIO())
    empty = write(tmp_path / "empty.tsv", [])

    with pytest.raises(CommandError, match="aucune ligne de produit") as raised:
        call_command("import", empty, seller=seller.slug, full=True, no_progress=True)

    assert "--resume" not in str(raised.value)
    assert Offer.objects.get(sku="R-1").is_active
    job = ImportJob.objects.order_by("-pk").first()
    assert job.status == ImportStatus.FAILED and job.offers_deactivated == 0


def test_a_dry_run_report_suggests_for_a_value_without_any_known_segment(demo, tmp_path):
    seller = make_seller("Boutique", slug="boutique")
    feed = write(tmp_path / "g.tsv", [line("C-1", "Ordinateur portable gamer", "")])

    report = feed_import(seller=seller, path=feed, dry_run=True)

    assert report.unmapped == [
        ("Ordinateur portable gamer", 1, "Informatique > Ordinateurs portables")
    ]
    assert (
        "    - « Ordinateur portable gamer » : 1 ligne — "
        "vouliez-vous dire « Informatique > Ordinateurs portables » ?"
    ) in report_lines(report)

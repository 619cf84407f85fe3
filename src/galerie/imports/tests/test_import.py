"""Feed import: validation report, matching, idempotence, updates, --full, formats, dry run."""

import csv
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template import Context, Template

from galerie.catalog.models import AttributeValue, Product
from galerie.imports.models import CategoryMapping, ImportJob, ImportRowError, ImportStatus
from galerie.imports.services import feed_import
from galerie.imports.tests.conftest import SAMPLE, SAMPLE_FAULTS
from galerie.sellers.models import Offer
from galerie.testing.factories import (
    make_book_type,
    make_category,
    make_offer,
    make_product,
    make_seller,
)

pytestmark = pytest.mark.django_db

CD = "Musique > CD"
HEADER = (
    "id\ttitle\tdescription\tlink\timage_link\tavailability\tprice\tsale_price\tbrand\tgtin\tmpn"
    "\tcondition\tgoogle_product_category\tproduct_type\tshipping_weight\tquantity\n"
)

# gen_feed.py fault → the code our report gives it (html is accepted, with a warning).
FAULT_CODES = {
    "bad_gtin_checksum": "gtin_invalid",
    "missing_title": "title_missing",
    "price_comma_decimal": "price_format",
    "price_wrong_currency": "price_currency",
    "negative_price": "price_negative",
    "duplicate_id": "id_duplicate",
    "unknown_availability": "availability_unknown",
    "html_in_title": "html_in_title",
    "title_too_long": "title_too_long",
    "missing_price": "price_missing",
    "bad_quantity": "quantity_invalid",
    "sale_price_above_price": "sale_price_above_price",
}


def tsv_line(sku, title, price, gtin, *, qty="5", cond="new", sale="", ptype="Livres > Romans"):
    return (
        f"{sku}\t{title}\tDescription\thttps://x.example/{sku}\thttps://x.example/{sku}.jpg"
        f"\tin_stock\t{price}\t{sale}\tÉditions du Phare\t{gtin}\tM1\t{cond}\tMedia > Books"
        f"\t{ptype}\t0.3 kg\t{qty}\n"
    )


def write(path, lines, header=HEADER):
    path.write_text(header + "".join(lines), encoding="utf-8")
    return path


def offers_snapshot(seller):
    return sorted(
        Offer.objects.filter(seller=seller).values_list(
            "sku",
            "product__gtin",
            "price",
            "stock",
            "condition",
            "condition_note",
            "is_active",
            "delivery_price",
            "updated_at",
        )
    )


def test_every_fault_of_the_sample_is_reported_with_its_row_and_reason(mappings, seller, tmp_path):
    errors_file = tmp_path / "errors.csv"
    report = feed_import(seller=seller, path=str(SAMPLE), errors_path=str(errors_file))

    expected = {}
    for line in SAMPLE_FAULTS.read_text().splitlines():
        row, fault = line.split("\t")
        expected[int(row)] = FAULT_CODES[fault]
    with open(errors_file, encoding="utf-8-sig", newline="") as f:
        reported = {int(r["ligne"]): r["code"] for r in csv.DictReader(f)}
    assert reported == expected
    job = report.job
    rejected = sum(1 for code in expected.values() if code != "html_in_title")
    assert job.rows_rejected == rejected == 100
    assert job.rows_ok == 2000 - rejected
    assert Offer.objects.filter(seller=seller).count() == 2000 - rejected
    # Messages are French and name the reason.
    first = ImportRowError.objects.get(job=job, row=122)
    assert first.column == "price"
    assert "USD" in first.message and "EUR" in first.message
    dup = ImportRowError.objects.get(job=job, row=74)
    assert "déjà présent ligne 73" in dup.message


def test_same_gtin_from_two_sellers_is_one_product_with_two_offers(mappings, tmp_path):
    first, second = make_seller(slug="a"), make_seller(slug="b")
    feed_import(
        seller=first,
        path=str(
            write(tmp_path / "a.tsv", [tsv_line("A-1", "Le Phare", "20.00 EUR", "9782000000013")])
        ),
    )
    feed_import(
        seller=second,
        path=str(
            write(
                tmp_path / "b.tsv",
                [tsv_line("B-77", "Le Phare (poche)", "19.50 EUR", "978-2-00-000001-3")],
            )
        ),
    )

    product = Product.objects.get()
    assert product.gtin == "9782000000013"
    assert sorted(product.offers.values_list("seller__slug", "sku", "price")) == [
        ("a", "A-1", Decimal("20.00")),
        ("b", "B-77", Decimal("19.50")),
    ]
    product.refresh_from_db()
    assert product.offer_count == 2 and product.best_price == Decimal("19.50")


def test_reimporting_the_same_feed_changes_nothing(mappings, seller, small_feed):
    feed_import(seller=seller, path=str(small_feed))
    before = offers_snapshot(seller)
    products_before = sorted(Product.objects.values_list("pk", "title", "updated_at"))

    report = feed_import(seller=seller, path=str(small_feed))

    assert offers_snapshot(seller) == before
    assert sorted(Product.objects.values_list("pk", "title", "updated_at")) == products_before
    assert report.job.offers_created == report.job.offers_updated == 0
    assert report.job.offers_unchanged == 300
    assert report.job.products_matched == 300


def test_a_changed_feed_updates_price_and_stock(mappings, seller, tmp_path):
    feed = write(
        tmp_path / "f.tsv",
        [
            tsv_line("S-1", "Un", "20.00 EUR", "3000000000007", qty="5", ptype=CD),
            tsv_line("S-2", "Deux", "10.00 EUR", "3000000000014", qty="3", ptype=CD),
        ],
    )
    feed_import(seller=seller, path=str(feed))
    write(
        feed,
        [
            tsv_line("S-1", "Un", "21.50 EUR", "3000000000007", qty="0", ptype=CD),
            tsv_line("S-2", "Deux", "10.00 EUR", "3000000000014", qty="3", ptype=CD),
        ],
    )
    report = feed_import(seller=seller, path=str(feed))

    assert report.job.offers_updated == 1 and report.job.offers_unchanged == 1
    offer = Offer.objects.get(seller=seller, sku="S-1")
    assert (offer.price, offer.stock) == (Decimal("21.50"), 0)
    offer.product.refresh_from_db()
    assert offer.product.in_stock is False  # summary refreshed in the batch


def test_full_feed_deactivates_missing_offers_without_deleting_them(mappings, seller, tmp_path):
    lines = [tsv_line(f"S-{i}", f"Titre {i}", "12.00 EUR", "") for i in range(3)]
    lines = [
        tsv_line("S-1", "Un", "20.00 EUR", "9782000000013"),
        tsv_line("S-2", "Deux", "10.00 EUR", "9782000000020"),
        tsv_line("S-3", "Trois", "10.00 EUR", "9782000000037"),
    ]
    feed = write(tmp_path / "f.tsv", lines)
    feed_import(seller=seller, path=str(feed))
    manual = make_offer(seller=seller)  # no sku: not managed by feeds
    write(feed, lines[:1])

    partial = feed_import(seller=seller, path=str(feed))
    assert Offer.objects.filter(seller=seller, is_active=True).count() == 4  # not --full

    report = feed_import(seller=seller, path=str(feed), full=True)
    assert report.job.offers_deactivated == 2
    assert partial.job.offers_deactivated == 0
    states = dict(Offer.objects.filter(seller=seller).values_list("sku", "is_active"))
    assert states == {"S-1": True, "S-2": False, "S-3": False, "": True}
    assert Offer.objects.filter(pk=manual.pk, is_active=True).exists()
    assert Product.objects.get(gtin="9782000000020").offer_count == 0

    write(feed, lines)  # they come back: reactivated
    feed_import(seller=seller, path=str(feed), full=True)
    assert Offer.objects.filter(seller=seller, is_active=True).count() == 4


def test_xml_feed_is_imported_like_tsv(mappings, seller, tmp_path):
    xml = tmp_path / "feed.xml"
    xml.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><title>Shop</title>
<item><g:id>X-1</g:id><title>Le Phare &amp; la mer</title>
<description>&lt;p&gt;Un &lt;b&gt;beau&lt;/b&gt; livre&lt;/p&gt;</description>
<g:availability>in_stock</g:availability><g:price>20.00 EUR</g:price>
<g:gtin>9782000000013</g:gtin><g:condition>used</g:condition>
<g:product_type>Livres &gt; Romans</g:product_type><g:quantity>2</g:quantity>
<g:shipping><g:country>FR</g:country><g:price>3.50 EUR</g:price></g:shipping></item>
<item><g:id>X-2</g:id><title>Sans prix</title><g:gtin>9782000000020</g:gtin>
<g:product_type>Livres &gt; Romans</g:product_type></item>
</channel></rss>""",
        encoding="utf-8",
    )
    report = feed_import(seller=seller, path=str(xml))

    offer = Offer.objects.get(seller=seller)
    assert (offer.sku, offer.price, offer.stock, offer.condition) == (
        "X-1",
        Decimal("20.00"),
        2,
        "used",
    )
    assert offer.condition_note == "État décrit par le vendeur"
    assert offer.delivery_price == Decimal("3.50")
    assert offer.product.title == "Le Phare & la mer"
    assert offer.product.description == "Un beau livre"
    error = ImportRowError.objects.get(job=report.job)
    assert (error.row, error.column, error.code) == (2, "price", "price_missing")


def test_bom_and_crlf_give_the_same_result(mappings, tmp_path):
    plain, windows = make_seller(slug="plain"), make_seller(slug="windows")
    text = SAMPLE.read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.tsv"
    crlf.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())

    a = feed_import(seller=plain, path=str(SAMPLE)).job
    b = feed_import(seller=windows, path=str(crlf)).job

    assert (b.rows_ok, b.rows_rejected, b.last_row) == (a.rows_ok, a.rows_rejected, 2000)
    assert sorted(Offer.objects.filter(seller=windows).values_list("sku", "price", "stock")) == (
        sorted(Offer.objects.filter(seller=plain).values_list("sku", "price", "stock"))
    )
    assert not Offer.objects.filter(sku__endswith="\r").exists()
    assert not Product.objects.filter(title__endswith="\r").exists()


def test_html_is_stored_as_text_and_escaped_on_output(mappings, seller, tmp_path):
    feed = write(
        tmp_path / "f.tsv",
        [
            tsv_line(
                "S-1", 'Titre <script>alert("x")</script>', "20.00 EUR", "9782000000013"
            ).replace(
                "\tDescription\t", "\t<p>Bon <b>état</b> &amp; complet</p><script>x()</script>\t"
            )
        ],
    )
    report = feed_import(seller=seller, path=str(feed))

    product = Product.objects.get()
    assert product.description == "Bon état & complet"
    assert product.title == 'Titre <script>alert("x")</script>'
    html = Template("{{ p.title }}").render(Context({"p": product}))
    assert "<script>" not in html and "&lt;script&gt;" in html
    warning = ImportRowError.objects.get(job=report.job)
    assert warning.is_warning and warning.code == "html_in_title"


def test_unmapped_category_is_reported_not_guessed(seller, tmp_path):
    CategoryMapping.objects.create(source="Livres > Romans", category=make_category("Romans"))
    feed = write(
        tmp_path / "f.tsv",
        [
            tsv_line("S-1", "Roman", "20.00 EUR", "9782000000013"),
            tsv_line(
                "S-2", "Disque", "12.00 EUR", "3000000000007", ptype="Musique > Vinyles"
            ).replace("Media > Books", "Media > Music"),
            tsv_line(
                "S-3",
                "Roman policier",
                "9.00 EUR",
                "9782000000020",
                ptype="Livres > Romans > Policier",
            ),
        ],
    )
    report = feed_import(seller=seller, path=str(feed))

    assert sorted(Offer.objects.values_list("sku", flat=True)) == ["S-1", "S-3"]
    error = ImportRowError.objects.get(job=report.job)
    assert (error.row, error.code) == (2, "unmapped_category")
    assert "Musique > Vinyles" in error.message
    assert report.unmapped == [("Musique > Vinyles | Media > Music", 1, "")]


def test_book_law_rejects_a_new_book_outside_95_to_100_percent(mappings, seller, tmp_path):
    book = make_book_type()
    make_product(product_type=book, gtin="9782000000013", publisher_price=Decimal("20.00"))
    feed = write(
        tmp_path / "f.tsv",
        [
            tsv_line("S-1", "Cher", "20.00 EUR", "9782000000013", sale="15.00 EUR"),
            tsv_line("S-2", "Juste", "20.00 EUR", "9782000000013", sale="19.00 EUR"),
            tsv_line("S-3", "Occasion", "8.00 EUR", "9782000000013", cond="used"),
        ],
    )
    report = feed_import(seller=seller, path=str(feed))

    assert sorted(Offer.objects.values_list("sku", flat=True)) == ["S-2", "S-3"]
    error = ImportRowError.objects.get(job=report.job)
    assert error.row == 1 and error.code == "book_price_law"
    assert "(loi Lang)" in error.message and "19.00 €" in error.message


def test_new_book_created_from_a_feed_takes_its_list_price_as_publisher_price(
    mappings, seller, tmp_path
):
    feed = write(tmp_path / "f.tsv", [tsv_line("S-1", "Neuf", "18.00 EUR", "9782000000013")])
    feed_import(seller=seller, path=str(feed))
    assert Product.objects.get().publisher_price == Decimal("18.00")
    assert AttributeValue.objects.get().value_text == "Éditions du Phare"


def test_dry_run_writes_nothing(mappings, seller, capsys):
    call_command("import", str(SAMPLE), seller=seller.slug, dry_run=True, no_progress=True)

    out = capsys.readouterr().out
    assert "SIMULATION" in out and "1 900" in out
    assert not Product.objects.exists() and not Offer.objects.exists()
    assert not ImportJob.objects.exists() and not ImportRowError.objects.exists()


def test_import_command_reports_and_writes_error_csv(mappings, seller, tmp_path, capsys):
    errors = tmp_path / "errors.csv"
    call_command("import", str(SAMPLE), seller=seller.slug, errors=str(errors), no_progress=True)
    out = capsys.readouterr().out
    assert "lignes rejetées ........... 100" in out
    assert errors.read_text(encoding="utf-8-sig").startswith("ligne,colonne,code,motif")


def test_unknown_seller_and_bad_header_fail_cleanly(mappings, seller, tmp_path):
    with pytest.raises(CommandError, match="Vendeur inconnu"):
        call_command("import", str(SAMPLE), seller="personne")
    bad = tmp_path / "bad.tsv"
    bad.write_text("sku\tname\nA\tB\n", encoding="utf-8")
    with pytest.raises(CommandError, match="colonne\\(s\\) manquante\\(s\\) id, title, price"):
        call_command("import", str(bad), seller=seller.slug, no_progress=True)
    assert not Offer.objects.exists()
    assert ImportJob.objects.get().status == ImportStatus.FAILED


def test_interrupted_import_resumes_after_the_last_committed_batch(
    mappings, seller, small_feed, monkeypatch
):
    from galerie.imports import services

    original = services._batch_apply
    calls = {"n": 0}

    def failing(state, batch):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("coupure")
        return original(state, batch)

    monkeypatch.setattr(services, "_batch_apply", failing)
    with pytest.raises(RuntimeError):
        feed_import(seller=seller, path=str(small_feed), batch_size=100)
    job = ImportJob.objects.get()
    assert (job.status, job.last_row) == (ImportStatus.FAILED, 200)
    assert Offer.objects.count() == 200
    # Every committed product has its offer.
    assert not Product.objects.filter(offers__isnull=True).exists()

    monkeypatch.setattr(services, "_batch_apply", original)
    report = feed_import(seller=seller, path=str(small_feed), resume=job, batch_size=100)
    assert report.job.status == ImportStatus.DONE and report.job.last_row == 300
    assert report.job.offers_created == 300
    assert Offer.objects.count() == 300


def test_csv_variant_and_a_line_with_the_wrong_number_of_fields(mappings, seller, tmp_path):
    feed = tmp_path / "feed.csv"
    feed.write_text(
        "id,title,price,gtin,product_type,quantity,availability\n"
        'C-1,"Le Phare, tome 2",12.00 EUR,9782000000013,Livres > Romans,4,in_stock\n'
        "C-2,Trop,de,champs,ici,1,in_stock,en plus\n"
        "C-3,Sans quantité,9.00 EUR,9782000000020,Livres > Romans,,in_stock\n",
        encoding="utf-8",
    )
    report = feed_import(seller=seller, path=str(feed))

    offers = dict(Offer.objects.values_list("sku", "stock"))
    assert offers == {"C-1": 4, "C-3": 1}  # no quantity in stock: one unit
    assert Product.objects.get(gtin="9782000000013").title == "Le Phare, tome 2"
    error = ImportRowError.objects.get(job=report.job)
    assert (error.row, error.code) == (2, "row_width")


def test_storefront_option_reports_offers_outside_its_assortment(mappings, seller, tmp_path):
    from galerie.catalog.models import Category
    from galerie.testing.factories import make_storefront

    storefront = make_storefront("lire", categories=[Category.objects.get(name="Livres")])
    feed = write(
        tmp_path / "f.tsv",
        [
            tsv_line("S-1", "Roman", "20.00 EUR", "9782000000013"),
            tsv_line("S-2", "Disque", "12.00 EUR", "3000000000007", ptype=CD),
        ],
    )
    report = feed_import(seller=seller, path=str(feed), storefront=storefront)
    assert report.outside_assortment == 1
    assert list(storefront.categories.values_list("name", flat=True)) == ["Livres"]


def test_rows_without_gtin_match_by_the_sellers_id_and_same_gtin_twice_is_one_product(
    seller, tmp_path
):
    from galerie.catalog.models import ProductType

    category = make_category("Voyages")
    trips = ProductType.objects.create(slug="sejour", name="Séjour", gtin_required=False)
    CategoryMapping.objects.create(source="Voyages", category=category, product_type=trips)
    CategoryMapping.objects.create(source="Livres > Romans", category=category)
    feed = write(
        tmp_path / "f.tsv",
        [
            tsv_line("T-1", "Séjour à Lisbonne", "450.00 EUR", "", ptype="Voyages"),
            tsv_line("B-1", "Roman", "20.00 EUR", "9782000000013"),
            tsv_line("B-2", "Roman (autre lot)", "18.00 EUR", "9782000000013"),
            tsv_line("B-3", "Sans code", "9.00 EUR", ""),  # the generic type needs a GTIN
        ],
    )
    report = feed_import(seller=seller, path=str(feed))

    assert Product.objects.count() == 2
    book = Product.objects.get(gtin="9782000000013")
    assert sorted(book.offers.values_list("sku", flat=True)) == ["B-1", "B-2"]
    assert (book.offer_count, book.best_price) == (2, Decimal("18.00"))
    error = ImportRowError.objects.get(job=report.job)
    assert (error.row, error.code) == (4, "gtin_required")

    write(
        feed,
        [
            tsv_line("T-1", "Séjour à Lisbonne", "480.00 EUR", "", ptype="Voyages"),
            tsv_line("B-1", "Roman", "20.00 EUR", "9782000000013"),
            tsv_line("B-2", "Roman (autre lot)", "18.00 EUR", "9782000000013"),
        ],
    )
    feed_import(seller=seller, path=str(feed))
    trip = Offer.objects.get(sku="T-1")
    assert trip.price == Decimal("480.00") and Product.objects.count() == 2


def test_an_offer_whose_gtin_changes_moves_to_the_right_product(mappings, seller, tmp_path):
    feed = write(tmp_path / "f.tsv", [tsv_line("S-1", "Disque", "12.00 EUR", "3000000000007")])
    feed_import(seller=seller, path=str(feed))
    old = Product.objects.get()
    write(feed, [tsv_line("S-1", "Disque (corrigé)", "12.00 EUR", "3000000000014", ptype=CD)])

    feed_import(seller=seller, path=str(feed))

    offer = Offer.objects.get(sku="S-1")
    assert offer.product.gtin == "3000000000014"
    old.refresh_from_db()
    assert (old.offer_count, old.in_stock) == (0, False)


def test_the_command_resumes_an_interrupted_import_automatically(
    mappings, seller, small_feed, monkeypatch, capsys
):
    from galerie.imports import services

    original = services._batch_apply

    def failing(state, batch):
        if batch[0][0] > 100:
            raise RuntimeError("coupure de courant")
        return original(state, batch)

    monkeypatch.setattr(services, "_batch_apply", failing)
    with pytest.raises(CommandError, match="--resume \\d+"):
        call_command("import", str(small_feed), seller=seller.slug, batch_size=100)
    assert Offer.objects.count() == 100
    job = ImportJob.objects.get()

    monkeypatch.setattr(services, "_batch_apply", original)
    call_command("import", str(small_feed), seller=seller.slug, batch_size=100, no_progress=True)
    message = f"Reprise automatique de l'import n° {job.pk} après la ligne 100"
    assert message in capsys.readouterr().err
    assert ImportJob.objects.count() == 1
    assert ImportJob.objects.get().status == ImportStatus.DONE
    assert Offer.objects.count() == 300


def test_a_changed_file_is_not_resumed(mappings, seller, small_feed, monkeypatch):
    from galerie.imports import services

    original = services._batch_apply

    def failing(state, batch):
        if batch[0][0] > 100:
            raise RuntimeError("coupure")
        return original(state, batch)

    monkeypatch.setattr(services, "_batch_apply", failing)
    with pytest.raises(RuntimeError):
        feed_import(seller=seller, path=str(small_feed), batch_size=100)
    monkeypatch.setattr(services, "_batch_apply", original)
    job = ImportJob.objects.get()
    small_feed.write_text(small_feed.read_text(encoding="utf-8")[:-200], encoding="utf-8")

    assert services.import_job_resumable(seller=seller, path=str(small_feed)) is None
    with pytest.raises(services.ImportError_, match="Le fichier a changé"):
        feed_import(seller=seller, path=str(small_feed), resume=job)
    assert Offer.objects.count() == 100


def test_book_law_also_applies_to_a_book_created_earlier_in_the_same_batch(
    mappings, seller, tmp_path
):
    feed = write(
        tmp_path / "f.tsv",
        [
            tsv_line("S-1", "Neuf", "20.00 EUR", "9782000000013"),
            tsv_line("S-2", "Bradé", "20.00 EUR", "9782000000013", sale="12.00 EUR"),
        ],
    )
    report = feed_import(seller=seller, path=str(feed))
    assert list(Offer.objects.values_list("sku", flat=True)) == ["S-1"]
    error = ImportRowError.objects.get(job=report.job)
    assert (error.row, error.column, error.code) == (2, "sale_price", "book_price_law")


def test_products_created_afterwards_take_fresh_ids(mappings, seller, small_feed):
    # On PostgreSQL the import draws product ids from the table's sequence before COPYing the
    # rows: the ORM's next insert must not collide with them.
    feed_import(seller=seller, path=str(small_feed))
    imported = set(Product.objects.values_list("pk", flat=True))
    assert len(imported) >= 200

    later = make_product("Publié après l'import")

    assert later.pk not in imported and later.pk > max(imported)
    assert set(Offer.objects.filter(seller=seller).values_list("product_id", flat=True)) <= imported


_XML_ITEM = (
    "<item><g:id>X-1</g:id><title>{title}</title><g:price>20.00 EUR</g:price>"
    "<g:gtin>9782000000013</g:gtin><g:product_type>Livres &gt; Romans</g:product_type></item>"
)
_BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>'
    + _XML_ITEM.format(title="&lol9;")
    + "</channel></rss>"
)
_XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>'
    + _XML_ITEM.format(title="&xxe;")
    + "</channel></rss>"
)


@pytest.mark.parametrize("attack", [_BILLION_LAUGHS, _XXE], ids=["billion-laughs", "xxe"])
def test_xml_feed_with_entities_is_refused(mappings, seller, tmp_path, attack):
    from galerie.imports.feeds import FeedError

    feed = tmp_path / "attack.xml"
    feed.write_text(attack, encoding="utf-8")

    with pytest.raises(FeedError) as refused:
        feed_import(seller=seller, path=str(feed))

    assert "DTD ou des entités" in refused.value.message
    assert "root:" not in refused.value.message
    assert not Offer.objects.filter(seller=seller).exists()
    assert not Product.objects.filter(gtin="9782000000013").exists()
    job = ImportJob.objects.get(seller=seller)
    assert job.status == ImportStatus.FAILED and "root:" not in job.message


@pytest.mark.parametrize(
    "image",
    ["javascript:alert(1)", "file:///etc/passwd", "data:image/png;base64,iVBORw0KGgo=", "//x.fr/a"],
)
def test_only_http_image_links_are_accepted_with_the_row_number(mappings, seller, tmp_path, image):
    line = tsv_line("IMG-2", "Avec image", "12.00 EUR", "9782000000020")
    line = line.replace("https://x.example/IMG-2.jpg", image)
    feed = write(
        tmp_path / "feed.tsv", [tsv_line("IMG-1", "Bon", "10.00 EUR", "9782000000013"), line]
    )

    report = feed_import(seller=seller, path=str(feed))

    error = ImportRowError.objects.get(job=report.job, is_warning=False)
    assert (error.row, error.column, error.code) == (2, "image_link", "image_url_invalid")
    assert "http:// et https://" in error.message
    assert list(Offer.objects.filter(seller=seller).values_list("sku", flat=True)) == ["IMG-1"]
    assert Product.objects.get(gtin="9782000000013").image_urls == ["https://x.example/IMG-1.jpg"]
    assert not Product.objects.filter(gtin="9782000000020").exists()


def test_a_feed_does_not_put_back_on_sale_an_offer_withdrawn_on_a_notice(
    mappings, seller, tmp_path
):
    from galerie.moderation.services import complaint_resolve, complaint_submit, notice_decide
    from galerie.testing.factories import make_notice

    lines = [tsv_line("S-1", "Un", "20.00 EUR", "3000000000007", ptype=CD)]
    feed = write(tmp_path / "f.tsv", lines)
    feed_import(seller=seller, path=str(feed))
    offer = Offer.objects.get(seller=seller, sku="S-1")
    (decision,) = notice_decide(
        notice=make_notice(offer=offer),
        kind="withdraw_offer",
        facts="Contrefaçon.",
        ground_kind="legal",
        ground="CPI",
        automated=False,
        actor=None,
    )
    write(feed, [tsv_line("S-1", "Un", "19.00 EUR", "3000000000007", ptype=CD)])

    feed_import(seller=seller, path=str(feed))

    offer.refresh_from_db()
    assert (offer.price, offer.is_active) == (Decimal("19.00"), False)  # updated, still off sale

    complaint = complaint_submit(decision=decision, seller=seller, text="Erreur.", user=None)
    complaint_resolve(complaint=complaint, reverse=True, reason="Erreur admise.", actor=None)
    Offer.objects.filter(pk=offer.pk).update(is_active=False)  # taken off sale since
    feed_import(seller=seller, path=str(feed))

    assert Offer.objects.get(pk=offer.pk).is_active  # the decision reversed, the feed may again


def test_a_feed_records_new_and_changed_prices_and_leaves_a_promotion_held(
    mappings, seller, tmp_path
):
    from galerie.sellers.models import OfferPriceChange
    from galerie.sellers.services import offer_promotion_set

    feed = write(
        tmp_path / "f.tsv",
        [
            tsv_line("S-1", "Un", "20.00 EUR", "3000000000007", ptype=CD),
            tsv_line("S-2", "Deux", "10.00 EUR", "3000000000014", ptype=CD),
        ],
    )
    feed_import(seller=seller, path=str(feed))
    one, two = (Offer.objects.get(seller=seller, sku=s) for s in ("S-1", "S-2"))
    # A promotion holds both offers down; the feed repeats S-1's regular price, changes S-2's.
    for offer in (one, two):
        offer_promotion_set(
            offer=offer,
            price=offer.price - 1,
            regular_price=offer.price,
            reference_price=offer.price,
        )
    write(
        feed,
        [
            tsv_line("S-1", "Un", "20.00 EUR", "3000000000007", ptype=CD),
            tsv_line("S-2", "Deux", "12.00 EUR", "3000000000014", ptype=CD),
        ],
    )
    feed_import(seller=seller, path=str(feed))

    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.price, one.regular_price) == (Decimal("19.00"), Decimal("20.00"))
    assert (two.price, two.regular_price) == (Decimal("12.00"), None)
    prices = {
        o.sku: list(OfferPriceChange.objects.filter(offer=o).values_list("price", flat=True))
        for o in (one, two)
    }
    assert prices == {
        "S-1": [Decimal("20.00"), Decimal("19.00")],
        "S-2": [Decimal("10.00"), Decimal("9.00"), Decimal("12.00")],
    }

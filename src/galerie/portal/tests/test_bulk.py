"""Bulk price and stock update from a CSV upload: per-row report (row, column, reason), two modes.

- valid_rows: the valid rows are applied, the faulty ones reported and left unchanged;
- all_or_nothing: one faulty row and nothing at all is changed.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from galerie.inventory.models import StockMovement
from galerie.portal.services import bulk_csv_rows
from galerie.sellers.models import Offer
from galerie.testing.factories import make_offer, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(world):
    second = make_offer(
        make_product("Revolver"), seller=world.seller_a, price="12.00", stock=4, sku="A-2"
    )
    book = make_offer(world.book, seller=world.seller_a, price="10.00", stock=2, sku="A-BOOK")
    third = make_offer(make_product("Help!"), seller=world.seller_a, price="11.00", stock=1)
    fourth = make_offer(make_product("Rubber Soul"), seller=world.seller_a, sku="A-3")
    return {
        "A-1": world.offer_a,
        "A-2": second,
        "A-3": fourth,
        "A-BOOK": book,
        "by-gtin": third,
    }


def _upload(client, text: str, mode: str, encoding="utf-8"):
    return client.post(
        "/vendeur/offres/import/",
        {"file": SimpleUploadedFile("maj.csv", text.encode(encoding), "text/csv"), "mode": mode},
    )


def _state(offers):
    return {
        sku: tuple(Offer.objects.filter(pk=o.pk).values_list("price", "stock").get())
        for sku, o in offers.items()
    }


FAULTY = (
    "sku;gtin;price;stock\n"
    "A-1;;19,90;12\n"  # 2: valid
    "NOPE;;5;5\n"  # 3: unknown sku
    "A-3;;abc;3\n"  # 4: bad price
    "A-BOOK;;8,00;\n"  # 5: new book below 95 % of its publisher's price
    ";{foreign_gtin};9;9\n"  # 6: seller B's product: not one of A's offers
    "A-2;;;-4\n"  # 7: negative stock
    "A-1;;18;1\n"  # 8: same offer twice
    ";;;\n"  # blank line: skipped
    ";{own_gtin};;7\n"  # 10: valid, by GTIN
)


def test_valid_rows_mode_applies_valid_rows_and_reports_the_others(world, offers, as_user):
    client = as_user(world.users.staff_a)
    text = FAULTY.format(
        foreign_gtin=world.offer_b.product.gtin,
        own_gtin=offers["by-gtin"].product.gtin,
    )
    before = _state(offers)
    response = _upload(client, text, "valid_rows")

    assert response.status_code == 200
    result = response.context["result"]
    assert result.applied == 2
    report = [(e.row, e.column) for e in result.errors]
    assert report == [(3, "sku"), (4, "price"), (5, "price"), (6, "gtin"), (7, "stock"), (8, "sku")]
    messages = {e.row: e.message for e in result.errors}
    assert "NOPE" in messages[3]
    assert "abc" in messages[4]
    assert "loi Lang" in messages[5]
    assert "Aucune de vos offres" in messages[6]
    assert "entier" in messages[7]
    assert "ligne 2" in messages[8]
    after = _state(offers)
    assert after["A-1"] == (Decimal("19.90"), 12)
    assert after["by-gtin"] == (before["by-gtin"][0], 7)  # stock only, price unchanged
    assert after["A-2"] == before["A-2"]
    assert after["A-3"] == before["A-3"]
    assert after["A-BOOK"] == before["A-BOOK"]
    html = response.content.decode()
    assert "2 offres mises à jour" in html and "6 lignes en erreur" in html
    world.offer_b.refresh_from_db()
    assert world.offer_b.stock == 9 and str(world.offer_b.price) == "15.00"
    moves = StockMovement.objects.filter(kind="adjust").order_by("offer_id")
    assert [(m.offer_id, m.delta, m.stock_after, m.actor) for m in moves] == [
        (world.offer_a.pk, 3, 12, world.users.staff_a),
        (offers["by-gtin"].pk, 6, 7, world.users.staff_a),
    ]
    world.offer_a.product.refresh_from_db()
    assert str(world.offer_a.product.best_price) == "19.90"


def test_all_or_nothing_mode_changes_nothing_when_a_row_is_faulty(world, offers, as_user):
    client = as_user(world.users.owner_a)
    before = _state(offers)
    response = _upload(client, "sku,price,stock\nA-1,19.90,12\nA-2,0,3\n", "all_or_nothing")

    result = response.context["result"]
    assert result.applied == 0
    assert [(e.row, e.column) for e in result.errors] == [(3, "price")]
    assert "supérieur à 0" in result.errors[0].message
    assert _state(offers) == before
    assert "aucune offre n'a été modifiée" in response.content.decode()


def test_all_or_nothing_mode_applies_everything_when_all_rows_are_valid(world, offers, as_user):
    client = as_user(world.users.owner_a)
    response = _upload(client, "sku,price,stock\nA-1,19.90,12\nA-BOOK,9.50,\n", "all_or_nothing")
    assert response.context["result"].applied == 2
    after = _state(offers)
    assert after["A-1"] == (Decimal("19.90"), 12)
    assert after["A-BOOK"] == (Decimal("9.50"), 2)


def test_windows_1252_semicolon_file_is_read(world, offers, as_user):
    client = as_user(world.users.owner_a)
    response = _upload(
        client,
        "Référence;Prix;Stock\nA-2;11,50;1\n".replace("Référence", "sku") + "A-1;€;1\n",
        "valid_rows",
        encoding="cp1252",
    )
    result = response.context["result"]
    assert result.applied == 1 and [(e.row, e.column) for e in result.errors] == [(3, "price")]
    assert _state(offers)["A-2"] == (Decimal("11.50"), 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide"),
        (b"title;colour\nx;y\n", "En-tête attendu"),
        (b"sku;price\x00\n", "pas un CSV"),
    ],
)
def test_unusable_file_is_refused_as_a_whole(world, offers, as_user, content, message):
    client = as_user(world.users.owner_a)
    before = _state(offers)
    response = client.post(
        "/vendeur/offres/import/",
        {"file": SimpleUploadedFile("x.csv", content or b" ", "text/csv"), "mode": "valid_rows"},
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert _state(offers) == before


def test_rows_are_numbered_like_a_spreadsheet():
    rows = bulk_csv_rows(b"sku;price\nA;1\n\nB;2\n")
    assert rows == [(2, {"sku": "A", "price": "1"}), (4, {"sku": "B", "price": "2"})]

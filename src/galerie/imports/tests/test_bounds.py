"""Issue 13: the feed import takes its bounds from the models' (sellers.limits, catalog.limits):
a row beyond them is reported by row number and column, through the `import` command as through
the service, and nothing of it is written."""

import pytest
from django.core.management import call_command

from galerie.catalog.models import Product
from galerie.imports.tests.test_import import tsv_line, write
from galerie.sellers.models import Offer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("price", "qty", "column"),
    [
        ("1000000.01 EUR", "5", "price"),
        ("100000000000000000000 EUR", "5", "price"),
        ("12.00 EUR", "1000001", "quantity"),
        ("12.00 EUR", "99999999999999999999", "quantity"),
    ],
)
def test_a_row_beyond_the_bounds_is_reported_by_number(
    mappings, seller, tmp_path, capsys, price, qty, column
):
    feed = write(
        tmp_path / "f.tsv",
        [
            tsv_line("OK-1", "Le Phare", "12.00 EUR", "9782000000013"),
            tsv_line("BAD-1", "La Baie", price, "9782000000020", qty=qty),
        ],
    )
    errors = tmp_path / "errors.csv"

    call_command("import", str(feed), seller=seller.slug, errors=str(errors), no_progress=True)

    assert "lignes rejetées ........... 1" in capsys.readouterr().out
    report = errors.read_text(encoding="utf-8-sig").splitlines()
    assert report[1].startswith(f"2,{column},")  # the feed's second row
    assert list(Offer.objects.values_list("sku", flat=True)) == ["OK-1"]
    assert not Product.objects.filter(title="La Baie").exists()


def test_the_bounds_themselves_are_imported(mappings, seller, tmp_path):
    feed = write(
        tmp_path / "f.tsv",
        [
            tsv_line(
                "MAX-1",
                "Le Phare",
                "1000000.00 EUR",
                "9782000000013",
                qty="1000000",
                ptype="Maison",
            )
        ],  # fmt: skip
    )

    call_command("import", str(feed), seller=seller.slug, no_progress=True)

    offer = Offer.objects.get()
    assert (str(offer.price), offer.stock) == ("1000000.00", 1_000_000)

import pytest

from galerie.catalog.gtin import InvalidGTIN, is_isbn, normalize_gtin


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2-07-036822-X", "9782070368228"),  # ISBN-10 with X check digit → ISBN-13
        ("207036822x", "9782070368228"),
        ("978-2-07-036822-8", "9782070368228"),
        ("9782070368228", "9782070368228"),
        (" 4006381333931 ", "4006381333931"),  # EAN-13 with spaces
        ("036000291452", "0036000291452"),  # UPC-A → EAN-13
        ("96385074", "96385074"),  # EAN-8
        ("00036000291452", "0036000291452"),  # GTIN-14 with indicator 0
    ],
)
def test_valid_gtins_are_normalised(raw, expected):
    assert normalize_gtin(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "vide"),
        ("9782070368229", "Clé de contrôle"),
        ("2-07-036822-1", "ISBN-10 invalide"),
        ("12345", "8, 12, 13 ou 14"),
        ("97820703682AB", "chiffres"),
        ("'; DROP TABLE x", "chiffres"),
    ],
)
def test_bad_gtins_are_rejected_with_a_message(raw, fragment):
    with pytest.raises(InvalidGTIN, match=fragment):
        normalize_gtin(raw)


def test_isbn_prefixes():
    assert is_isbn("9782070368228")
    assert not is_isbn("4006381333931")

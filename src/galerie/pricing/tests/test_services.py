import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from galerie.pricing.errors import BookPriceError, TaxRateMissing
from galerie.pricing.models import DeliveryKind, DeliveryMethod, TaxRate
from galerie.pricing.services import (
    amount_split_by_rate,
    book_price_check,
    book_price_range,
    book_shipping_floor,
    delivery_options,
    vat_amount,
    vat_breakdown,
    vat_rate,
)
from galerie.testing.factories import (
    make_book_type,
    make_offer,
    make_product,
    make_product_type,
    make_seller,
)

pytestmark = pytest.mark.django_db


def test_seeded_french_rates_are_current():
    assert vat_rate(tax_class="standard") == Decimal("20")
    assert vat_rate(tax_class="intermediate") == Decimal("10")
    assert vat_rate(tax_class="reduced") == Decimal("5.5")
    assert vat_rate(tax_class="super_reduced") == Decimal("2.1")
    assert str(vat_rate(tax_class="reduced")) == "5.5"
    assert str(vat_rate(tax_class="standard")) == "20"


def test_rates_are_effective_dated():
    assert vat_rate(tax_class="standard", on=dt.date(2013, 12, 31)) == Decimal("19.6")
    assert vat_rate(tax_class="standard", on=dt.date(2014, 1, 1)) == Decimal("20")
    TaxRate.objects.create(tax_class="standard", rate=Decimal("21"), valid_from=dt.date(2030, 1, 1))
    assert vat_rate(tax_class="standard", on=dt.date(2029, 12, 31)) == Decimal("20")
    assert vat_rate(tax_class="standard", on=dt.date(2030, 1, 2)) == Decimal("21")


def test_unknown_class_has_no_rate():
    with pytest.raises(TaxRateMissing):
        vat_rate(tax_class="standard", on=dt.date(1990, 1, 1))


def test_line_vat_is_ttc_minus_rounded_ht():
    # 10.00 TTC at 5.5 %: HT = 9.478… → 9.48, VAT = 0.52
    assert vat_amount(ttc=Decimal("10.00"), rate=Decimal("5.5")) == Decimal("0.52")
    # 0.05 TTC at 20 %: HT 0.0416… → 0.04, VAT 0.01
    assert vat_amount(ttc=Decimal("0.05"), rate=Decimal("20")) == Decimal("0.01")
    assert vat_amount(ttc=Decimal("119.99"), rate=Decimal("20")) == Decimal("20.00")


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)
rates = st.sampled_from([Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1")])


@given(st.lists(st.tuples(rates, money, st.integers(1, 20)), min_size=1, max_size=30))
@settings(max_examples=200, deadline=None)
def test_vat_totals_equal_sum_of_lines_for_any_basket(lines):
    priced = []
    for rate, unit, qty in lines:
        ttc = unit * qty
        priced.append((rate, ttc, vat_amount(ttc=ttc, rate=rate)))
    rows = vat_breakdown(priced)
    assert sum(r.ttc for r in rows) == sum(p[1] for p in priced)
    assert sum(r.vat for r in rows) == sum(p[2] for p in priced)
    for row in rows:
        assert row.ht + row.vat == row.ttc
        assert row.vat >= 0


@given(money, st.dictionaries(rates, money, min_size=1, max_size=4))
@settings(max_examples=200, deadline=None)
def test_delivery_split_sums_to_fee(fee, weights):
    parts = amount_split_by_rate(amount=fee, weights=weights)
    assert sum(parts.values()) == fee
    assert all(p >= 0 for p in parts.values())


# --- Book law ---------------------------------------------------------------------------------


def _book(publisher_price="20.00"):
    return make_product(product_type=make_book_type(), publisher_price=publisher_price)


def test_new_book_within_95_to_100_percent_is_accepted():
    book = _book("20.00")
    book_price_check(product=book, price=Decimal("19.00"), condition="new")
    book_price_check(product=book, price=Decimal("20.00"), condition="new")


@pytest.mark.parametrize("price", ["18.99", "20.01", "5.00"])
def test_new_book_outside_range_is_refused_naming_the_law(price):
    book = _book("20.00")
    with pytest.raises(BookPriceError) as err:
        book_price_check(product=book, price=Decimal(price), condition="new")
    assert err.value.code == "book_price_law"
    assert "loi Lang" in err.value.message
    assert "19.00" in err.value.message and "20.00" in err.value.message


def test_used_books_and_other_products_are_free():
    book_price_check(product=_book("20.00"), price=Decimal("2.00"), condition="used")
    dvd = make_product(product_type=make_product_type("dvd"))
    book_price_check(product=dvd, price=Decimal("1.00"), condition="new")


def test_new_book_without_publisher_price_is_refused():
    with pytest.raises(BookPriceError):
        book_price_check(product=_book(None), price=Decimal("10.00"), condition="new")


def test_book_range_floor_never_dips_below_95_percent():
    low, high = book_price_range(Decimal("19.99"))
    assert low == Decimal("19.00")  # 18.9905 rounded up
    assert high == Decimal("19.99")


# --- Delivery ---------------------------------------------------------------------------------


def test_seller_without_method_gets_standard_delivery_from_offers():
    seller = make_seller()
    offer = make_offer(seller=seller, delivery_price="4.90")
    options = delivery_options(seller=seller, lines=[(offer, 2)])
    assert [(o.method_id, o.label, o.fee) for o in options] == [
        (0, "Livraison standard", Decimal("4.90"))
    ]
    assert options[0].date_min <= options[0].date_max


def test_methods_flat_weight_free_above_and_pickup():
    seller = make_seller()
    offer = make_offer(seller=seller, price="30.00")
    DeliveryMethod.objects.create(seller=seller, name="Colissimo", kind="flat", fee="5.00")
    DeliveryMethod.objects.create(
        seller=seller, name="Poids", kind="weight", fee="2.00", fee_per_kg="1.00"
    )
    DeliveryMethod.objects.create(
        seller=seller, name="Offerte", kind="free_above", fee="6.00", free_above="50.00"
    )
    options = {o.label: o.fee for o in delivery_options(seller=seller, lines=[(offer, 2)])}
    assert options == {
        "Colissimo": Decimal("5.00"),
        "Poids": Decimal("3.00"),  # 2 × 0.5 kg default weight
        "Offerte": Decimal("0.00"),  # 60 € ≥ 50 €
    }


def test_free_delivery_is_never_free_for_new_books():
    seller = make_seller()
    cheap = make_offer(_book("20.00"), seller=seller, price="20.00")
    DeliveryMethod.objects.create(
        seller=seller, name="Offerte", kind="free_above", fee="0.00", free_above="0.00"
    )
    DeliveryMethod.objects.create(seller=seller, name="Retrait", kind=DeliveryKind.PICKUP)
    options = {o.label: o for o in delivery_options(seller=seller, lines=[(cheap, 1)])}
    assert options["Offerte"].fee == Decimal("3.00")
    assert options["Offerte"].book_floor_applied
    assert options["Retrait"].fee == Decimal("0.00")  # store pickup is exempt
    options = {o.label: o for o in delivery_options(seller=seller, lines=[(cheap, 2)])}
    assert options["Offerte"].fee == Decimal("0.01")  # 40 € of books ≥ 35 €


def test_used_books_do_not_count_towards_book_floor():
    seller = make_seller()
    used = make_offer(_book("20.00"), seller=seller, price="5.00", condition="used")
    options = delivery_options(seller=seller, lines=[(used, 1)])
    assert options[0].fee == Decimal("0.00")


@given(
    st.lists(st.tuples(st.booleans(), money, st.integers(1, 5)), min_size=1, max_size=8),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("20"), places=2),
)
@settings(max_examples=150, deadline=None)
def test_book_floor_for_any_basket(lines, seller_fee):
    books = sum((unit * qty for is_book, unit, qty in lines if is_book), Decimal("0"))
    floor = book_shipping_floor(new_books_total=books)
    fee = max(seller_fee, floor)
    if books == 0:
        assert floor == 0
    elif books < Decimal("35"):
        assert fee >= Decimal("3.00")
    else:
        assert fee >= Decimal("0.01")


def test_default_delivery_label_follows_the_storefront_language():
    from django.utils import translation

    seller = make_seller()
    offer = make_offer(seller=seller)
    with translation.override("en"):
        assert delivery_options(seller=seller, lines=[(offer, 1)])[0].label == "Standard delivery"
    with translation.override("fr"):
        assert delivery_options(seller=seller, lines=[(offer, 1)])[0].label == "Livraison standard"

import datetime
from decimal import Decimal as D

import pytest
from django.db import transaction

from galerie.ledger.services import (
    SaleSplit,
    ledger_post_capture,
    ledger_post_payment_fee,
    ledger_post_refund,
)
from galerie.orders.tests.conftest import address, place, storefront  # noqa: F401
from galerie.pricing.services import tax_rates_ensure
from galerie.reporting.chart import FixedCostKind
from galerie.reporting.services import fixed_cost_record
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)


@pytest.fixture
def operator(db):
    return make_seller("Galerie", is_operator=True, slug="galerie-operateur")


@pytest.fixture
def trader(db):
    return make_seller("Bouquinerie Alpha", legal_name="Alpha Livres SARL")


@pytest.fixture
def culture(db):
    return make_storefront("culture", name="Culture")


@pytest.fixture
def tech(db):
    return make_storefront("tech", name="Tech")


@pytest.fixture
def books(db):
    return make_category("Livres")


@pytest.fixture
def novels(books):
    return make_category("Romans", parent=books)


JAN = datetime.date(2026, 1, 1)
FEB = datetime.date(2026, 2, 1)


@pytest.fixture
def trading(operator, trader, culture, tech, books, novels):
    with transaction.atomic():
        ledger_post_capture(
            date=JAN + datetime.timedelta(days=9),
            storefront_id=culture.pk,
            splits=[
                SaleSplit(seller_id=trader.pk, category_id=novels.pk, amount=D("20.00"),
                          commission=D("2.50"), commission_vat=D("0.50")),
                SaleSplit(seller_id=operator.pk, category_id=books.pk, amount=D("12.66"),
                          vat=D("0.66")),
                SaleSplit(seller_id=operator.pk, category_id=None, amount=D("6.00"),
                          vat=D("1.00"), is_delivery=True),
            ],
        )  # fmt: skip
        ledger_post_payment_fee(
            date=JAN + datetime.timedelta(days=9), amount=D("0.80"), storefront_id=culture.pk
        )
        ledger_post_refund(
            date=FEB + datetime.timedelta(days=2),
            storefront_id=culture.pk,
            splits=[SaleSplit(seller_id=trader.pk, category_id=novels.pk, amount=D("10.00"),
                              commission=D("1.25"), commission_vat=D("0.25"))],
        )  # fmt: skip
        ledger_post_capture(
            date=FEB + datetime.timedelta(days=5),
            storefront_id=tech.pk,
            splits=[SaleSplit(seller_id=operator.pk, category_id=books.pk, amount=D("120.00"),
                              vat=D("20.00"))],
        )  # fmt: skip
    fixed_cost_record(
        storefront=tech, month=FEB, kind=FixedCostKind.RENT, amount="300.00", vat="60.00",
        label="Loyer entrepôt",
    )  # fmt: skip


@pytest.fixture
def mall():
    tax_rates_ensure()
    books = make_category("Livres", slug="livres")
    phones = make_category("Téléphonie", slug="telephonie")
    culture = make_storefront("galerie", name="Galerie Culture", categories=[books])
    tech = make_storefront("hightech", name="Galerie High-Tech", categories=[phones])
    operator = make_seller("Galerie", is_operator=True, slug="galerie")
    trader = make_seller("Bouquinerie")
    for i in range(6):
        book = make_product(f"Roman {i}", category=make_category(f"Romans {i}", parent=books))
        make_offer(book, seller=operator, price=f"{12 + i}.90", stock=50, purchase_cost="7.00")
        make_offer(book, seller=trader, price=f"{11 + i}.50", stock=50, condition="used")
        phone = make_product(f"Téléphone {i}", category=phones)
        make_offer(phone, seller=operator, price=f"{300 + 40 * i}.00", stock=50,
                   purchase_cost=f"{230 + 30 * i}.00")  # fmt: skip
    return culture, tech

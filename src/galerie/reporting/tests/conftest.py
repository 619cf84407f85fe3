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
from galerie.reporting.chart import FixedCostKind
from galerie.reporting.services import fixed_cost_record
from galerie.testing.factories import make_category, make_seller, make_storefront


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

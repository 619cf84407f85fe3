import datetime

import pytest

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

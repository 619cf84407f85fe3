import datetime

import pytest

from galerie.testing.factories import make_category, make_seller, make_storefront

DAY = datetime.date(2026, 3, 14)


@pytest.fixture
def operator(db):
    return make_seller("Galerie", is_operator=True, slug="galerie-operateur")


@pytest.fixture
def seller_a(db):
    return make_seller("Bouquinerie Alpha", legal_name="Alpha Livres SARL")


@pytest.fixture
def seller_b(db):
    return make_seller("Disques Bêta", legal_name="Bêta Musique SAS")


@pytest.fixture
def storefront(db):
    return make_storefront("lecture", name="Lecture")


@pytest.fixture
def books(db):
    return make_category("Livres")


@pytest.fixture
def music(db):
    return make_category("Musique")

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_purchase,
    make_storefront,
)


@pytest.fixture
def shop(db):
    books = make_category("Livres", slug="livres")
    storefront = make_storefront("culture", name="Culture", categories=[books])
    germinal = make_product("Germinal", slug="germinal", category=books)
    nana = make_product("Nana", slug="nana", category=books)
    offer = make_offer(germinal, price="8.00", stock=20)
    nana_offer = make_offer(nana, price="6.00", stock=20)
    users = get_user_model().objects
    marie = users.create_user("marie", "marie@example.fr", "pw", first_name="Marie",
                              last_name="Curie")  # fmt: skip
    paul = users.create_user("paul", "paul@example.fr", "pw", first_name="Paul",
                             last_name="Langevin")  # fmt: skip

    def buy(customer, what=offer, status="shipped"):
        return make_purchase(customer=customer, offer=what, storefront=storefront, status=status)

    return SimpleNamespace(**locals())

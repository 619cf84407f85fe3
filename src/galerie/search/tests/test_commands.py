"""`galerie search_reindex`."""

import pytest
from django.core.management import call_command

from galerie.search.selectors import product_search_ids
from galerie.testing.factories import make_product

pytestmark = pytest.mark.django_db


def test_search_reindex_rebuilds_everything(capsys):
    product = make_product("Vingt mille lieues sous les mers")
    assert product_search_ids(query="lieues") == []

    call_command("search_reindex")

    assert product_search_ids(query="lieues") == [product.pk]
    assert "Produits indexés : 1 (" in capsys.readouterr().out


def test_search_reindex_one_product(capsys):
    product = make_product("Le Tour du monde en quatre-vingts jours")

    call_command("search_reindex", "--product", str(product.pk))

    assert product_search_ids(query="quatre vingts") == [product.pk]
    assert "Produits réindexés : 1 (" in capsys.readouterr().out

"""What only the PostgreSQL backend does: French stemming."""

import pytest

from galerie.search.selectors import product_search_ids, search_correction
from galerie.search.services import search_index_refresh
from galerie.testing.factories import make_product

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_french_plural_finds_singular():
    product = make_product("Le livre de la jungle", description="Mowgli élevé par des loups.")
    search_index_refresh(product_ids=[product.pk])

    assert product_search_ids(query="livres") == [product.pk]
    assert product_search_ids(query="loup élevés") == [product.pk]


def test_a_french_stop_word_is_never_corrected():
    product = make_product("Maison de campagne")
    search_index_refresh(product_ids=[product.pk])

    # "mais" is a stop word of PostgreSQL's French dictionary (not of galerie.search.terms).
    assert search_correction(query="mais campagnes") is None
    assert search_correction(query="maisson") == "maison"

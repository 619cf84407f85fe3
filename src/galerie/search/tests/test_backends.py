"""The query texts each backend builds, and the bound on ranked candidates."""

import pytest

from galerie.search.backends import backend, postgresql, sqlite
from galerie.search.selectors import product_search_ids
from galerie.search.services import search_index_refresh
from galerie.testing.factories import make_category, make_product


def words(*terms: str) -> list:
    return [((term,),) for term in terms]


# "pc portable asus": the synonym phrases of "pc portable", then "asus".
LAPTOP = [(("pc", "portable"), ("ordinateur", "portable")), (("asus",),)]


def test_fts5_match_expression_quotes_every_term_and_prefixes_the_last():
    assert sqlite.match_expression(words("victor", "hu")) == '"victor" AND "hu"*'
    assert sqlite.match_expression(words("tome", "2")) == '"tome" AND "2"'
    assert sqlite.match_expression(words('a"b')) == '"a""b"*'


def test_fts5_match_expression_ors_synonyms_and_never_prefixes_one():
    assert sqlite.match_expression(LAPTOP) == (
        '(("pc" AND "portable") OR ("ordinateur" AND "portable")) AND "asus"*'
    )
    assert sqlite.match_expression(LAPTOP[:1]) == (
        '(("pc" AND "portable") OR ("ordinateur" AND "portable"))'
    )


def test_tsquery_text_quotes_every_lexeme_and_prefixes_the_last():
    assert postgresql.tsquery_text(words("victor", "hu")) == "'victor' & 'hu':*"
    assert postgresql.tsquery_text(words("tome", "2")) == "'tome' & '2'"
    assert postgresql.tsquery_text(words("l'a\\")) == "'l''a\\\\':*"


def test_tsquery_text_ors_synonyms_and_never_prefixes_one():
    assert postgresql.tsquery_text(LAPTOP) == (
        "(('pc' & 'portable') | ('ordinateur' & 'portable')) & 'asus':*"
    )


@pytest.mark.django_db
def test_broad_query_ranks_the_newest_matches_and_every_title_match(monkeypatch):
    module = backend()
    monkeypatch.setattr(module, "CANDIDATES", 2)
    monkeypatch.setattr(module, "TITLE_CANDIDATES", 1)
    category = make_category()
    old_title_match = make_product("Roman", category=category)
    description_matches = [
        make_product(f"Livre {n}", category=category, description="Un roman.") for n in range(4)
    ]
    search_index_refresh(product_ids=[old_title_match.pk, *(p.pk for p in description_matches)])

    found = product_search_ids(query="roman", limit=2)

    # Old but named as searched: first. Then one of the two newest description-only matches
    # (ranking every match would give the oldest: equal scores fall back to id order).
    assert found[0] == old_title_match.pk
    assert found[1] in {description_matches[-1].pk, description_matches[-2].pk}
    # A larger limit widens the candidate set.
    assert len(product_search_ids(query="roman", limit=10)) == 5
